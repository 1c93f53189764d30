"""The named figures of this wing (`lianqi.core.registry.Measure`), each with its definition in
words: dashboards and, later, assessments read them by key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure

from . import queries

MEASURES = (
    Measure(
        key="inspections.registered",
        label=_("登记执法检查数"),
        definition=_("统计期内计划入企并已登记的执法检查次数（不含已取消），含下级辖区"),
        unit=_("次"),
        compute=queries.registered_count,
    ),
    Measure(
        key="inspections.joint_share",
        label=_("联合检查占比"),
        definition=_("统计期内登记的执法检查中并入联合检查（综合查一次）的比例"),
        unit="%",
        compute=queries.joint_share,
    ),
    Measure(
        key="inspections.cap_warnings",
        label=_("超频次检查数"),
        definition=_("统计期内登记时超过同一企业每天 1 次、每周 2 次或每月 3 次上限的检查次数"),
        unit=_("次"),
        compute=queries.cap_warning_count,
    ),
    Measure(
        key="inspections.average_rating",
        label=_("企业评价平均分"),
        definition=_("统计期内企业对检查的评分（1–5 分）的平均值；不足 5 条评价时不显示"),
        unit=_("分"),
        compute=queries.average_rating,
    ),
    Measure(
        key="inspections.registered_before_entry",
        label=_("先登记后入企率"),
        definition=_("统计期内已扫码入企的检查中，登记时间早于入企时间的比例"),
        unit="%",
        compute=queries.registered_before_entry_share,
        url_name="inspections:statistics",
    ),
    Measure(
        key="inspections.rectifications_overdue",
        label=_("整改逾期数"),
        definition=_(
            "责令限期整改的检查中，整改截止日期已过（早于今天）而未在截止日期当天或之前确认整改完成的次数，含逾期后才整改和未整改升级处理的；按计划检查日期所在月份统计"
        ),
        unit=_("次"),
        compute=queries.overdue_rectification_count,
        url_name="inspections:statistics",
    ),
    Measure(
        key="inspections.unregistered_reports",
        label=_("未登记入企举报数"),
        definition=_(
            "统计期内受理的“执法检查”类企业诉求数（含企业经检查码举报的未登记入企检查），含下级辖区"
        ),
        unit=_("件"),
        compute=queries.unregistered_report_count,
        url_name="inspections:statistics",
    ),
)
