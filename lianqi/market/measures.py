"""The named figures of supply and demand (`lianqi.core.registry.Measure`), each with its
definition in words: dashboards and, later, assessments read them by key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure

from . import queries

MEASURES = (
    Measure(
        key="market.fairs",
        label=_("供需对接会场次"),
        definition=_("统计期内举办的供需对接会场数，含下级辖区"),
        unit=_("场"),
        compute=queries.fair_count,
    ),
    Measure(
        key="market.fair_firms",
        label=_("对接会参会企业数"),
        definition=_("统计期内到会参加供需对接会的企业数，一家企业参加多场只计一次"),
        unit=_("家"),
        compute=queries.fair_firm_count,
    ),
    Measure(
        key="market.fair_deals",
        label=_("对接会签约项数"),
        definition=_("统计期内举办的供需对接会上签订的合作项数"),
        unit=_("项"),
        compute=queries.fair_deal_count,
    ),
    Measure(
        key="market.fair_amount",
        label=_("对接会签约金额"),
        definition=_("统计期内举办的供需对接会上签订的合作金额之和，按元精确到分记录，以万元计"),
        unit=_("万元"),
        compute=queries.fair_deal_amount,
    ),
    Measure(
        key="market.introduction_amount",
        label=_("撮合成交金额"),
        definition=_("统计期内经园区对接成交的金额之和（按成交日期），按元精确到分记录，以万元计"),
        unit=_("万元"),
        compute=queries.introduction_deal_amount,
    ),
)
