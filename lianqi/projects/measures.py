"""The named figures of key projects (`lianqi.core.registry.Measure`), each with its definition in
words: dashboards and, later, assessments read them by key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure

from . import queries

MEASURES = (
    Measure(
        key="projects.completion_rate",
        label=_("重点项目年度投资完成率"),
        definition=_(
            "统计期末所在年度，重点项目月度报告的完成投资之和除以这些项目的年度计划投资之和，含下级辖区"
        ),
        unit="%",
        compute=queries.completion_rate,
        url_name="projects:dashboard",
    ),
    Measure(
        key="projects.invested",
        label=_("重点项目完成投资"),
        definition=_("统计期内各月进度报告填报的本期完成投资之和，单位万元，含下级辖区"),
        unit=_("万元"),
        compute=queries.invested_wan,
    ),
    Measure(
        key="projects.signed",
        label=_("新签约重点项目数"),
        definition=_("签约日期在统计期内的重点项目个数，含下级辖区"),
        unit=_("个"),
        compute=queries.signed_count,
    ),
)
