"""The liaison layout's named figures (`lianqi.core.registry.Measure`): how much of a
jurisdiction's register has a liaison on duty, counted by the same code as the coverage page
(`queries.coverage_of`). Coverage is a state, not a flow: it is counted as the register stands
when it is read, whatever the period."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure, Period

from .queries import active_under, coverage_of, coverage_rate


def coverage(jurisdiction_path: str, period: Period) -> Decimal | None:
    """The share, in percent, of active enterprises with a liaison on duty; None when the
    jurisdiction has no active enterprise (nothing to divide by)."""
    total, missing = coverage_of(active_under(jurisdiction_path))
    if total == 0:
        return None
    return Decimal(str(coverage_rate(total - missing, total)))


def uncovered(jurisdiction_path: str, period: Period) -> int:
    """Active enterprises without a liaison on duty."""
    _total, missing = coverage_of(active_under(jurisdiction_path))
    return missing


MEASURES = (
    Measure(
        "liaisons.coverage_rate",
        _("联企覆盖率"),
        _(
            "辖区及下级辖区在园（状态为在园）企业中，联企干部在岗的企业所占比例，保留一位小数；"
            "按读取时的现状计，与联企覆盖页相同。"
        ),
        "%",
        coverage,
        url_name="liaisons:coverage",
    ),
    Measure(
        "liaisons.uncovered",
        _("未覆盖企业"),
        _("辖区及下级辖区在园企业中，没有联企干部或联企干部已离岗的企业数；按读取时的现状计。"),
        _("家"),
        uncovered,
        url_name="liaisons:coverage",
    ),
)
