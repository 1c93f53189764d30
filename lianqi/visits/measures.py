"""The named figures of visits (`lianqi.core.registry.Measure`), each with its definition in
words: dashboards and, later, assessments read them by key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure

from . import queries

MEASURES = (
    Measure(
        key="visits.visits",
        label=_("走访次数"),
        definition=_("统计期内签到的走访记录条数（含企业自行填写的电子问卷），含下级辖区"),
        unit=_("次"),
        compute=queries.visits_count,
        url_name="visits:campaign_list",
    ),
    Measure(
        key="visits.raised_demands",
        label=_("走访提出诉求数"),
        definition=_("统计期内签到的走访中，由问卷答案提出的诉求件数（含当即解决的），含下级辖区"),
        unit=_("件"),
        compute=queries.raised_count,
        url_name="visits:campaign_list",
    ),
    Measure(
        key="visits.coverage_rate",
        label=_("走访覆盖率"),
        definition=_(
            "统计期内进行过的已发布走访活动中，已走访的目标企业数之和除以目标企业数之和"
            "（目标企业：活动范围内在园企业），含下级辖区"
        ),
        unit="%",
        compute=queries.coverage_rate,
        url_name="visits:campaign_list",
    ),
)
