"""The named figures of the land supermarket (`lianqi.core.registry.Measure`), each with its
definition in words: dashboards and assessments read them by key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure

from . import queries

MEASURES = (
    Measure(
        key="land.available_mu",
        label=_("可供地面积"),
        definition=_("当前状态为可供地的地块面积之和（亩），含下级辖区；为时点数，与统计期无关"),
        unit=_("亩"),
        compute=queries.available_mu,
        url_name="land:map",
    ),
    Measure(
        key="land.reserved",
        label=_("用地预订数"),
        definition=_("统计期内企业预订地块的次数（按预订日期），含已释放、已过期的预订，含下级辖区"),
        unit=_("件"),
        compute=queries.reserved_count,
        url_name="land:reservations",
    ),
    Measure(
        key="land.sold_mu",
        label=_("成交用地面积"),
        definition=_("统计期内成交（按成交日期）的地块面积之和（亩），含下级辖区"),
        unit=_("亩"),
        compute=queries.sold_mu,
    ),
)
