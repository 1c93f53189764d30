"""The named figures of this wing (`lianqi.core.registry.Measure`), each with its definition in
words: dashboards and, later, assessments read them by key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure

from . import queries

MEASURES = (
    Measure(
        key="land.registered",
        label=_("登记事项数"),
        definition=_("统计期内登记的事项件数，含下级辖区"),
        unit=_("件"),
        compute=queries.registered_count,
    ),
)
