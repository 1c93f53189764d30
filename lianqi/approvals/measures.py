"""The named figures of approvals (`lianqi.core.registry.Measure`), each with its definition in
words: dashboards and, later, assessments read them by key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure

from . import queries

MEASURES = (
    Measure(
        key="approvals.average_workdays",
        label=_("项目审批平均用时"),
        definition=_("统计期内全部办结的项目审批，从启动到最后一个事项办结的工作日数的平均值，含下级辖区"),
        unit=_("工作日"),
        compute=queries.average_workdays,
    ),
    Measure(
        key="approvals.within_target",
        label=_("承诺时限内办结率"),
        definition=_("统计期内全部办结的项目审批中，用时不超过承诺总时限（30个工作日）的比例，含下级辖区"),
        unit="%",
        compute=queries.within_target_share,
    ),
    Measure(
        key="approvals.lenient_items",
        label=_("容缺受理事项数"),
        definition=_("统计期内以容缺方式受理的审批事项件数，含下级辖区"),
        unit=_("件"),
        compute=queries.lenient_count,
    ),
)
