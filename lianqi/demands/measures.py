"""The named figures of demands (`lianqi.core.registry.Measure`), read by the home page and,
later, assessments. Each is computed by the same code as the statistics page — a jurisdiction's
figures for a period, from the same day cells (`statistics.jurisdiction_statistics`) — and
carries the definition that page prints, so the two never disagree; `demands.overdue` counts
what the board's 已超期 tab holds (`queries.overdue`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Figure, Label, Measure
from lianqi.core.registry import Period as MeasurePeriod

from . import queries, statistics


def _period(period: MeasurePeriod) -> statistics.Period:
    return statistics.Period(period.start, period.end)


def _statistics_figure(name: str, key: str, unit: Label) -> Measure:
    """The measure ``demands.<name>``: the statistics figure `key` of a jurisdiction and a
    period, with the name and the definition the statistics page prints for it."""
    definition = statistics.DEFINITIONS[key]

    def compute(jurisdiction_path: str, period: MeasurePeriod) -> Figure:
        result = statistics.jurisdiction_statistics(jurisdiction_path, _period(period), at=timezone.now())
        return result.total.figures[key].value

    return Measure(
        key=f"demands.{name}",
        label=definition.name,
        definition=definition.definition,
        unit=unit,
        compute=compute,
        url_name="demands:statistics",
    )


def _overdue(jurisdiction_path: str, period: MeasurePeriod) -> Figure:
    return queries.overdue_count(jurisdiction_path, _period(period), at=timezone.now())


MEASURES = (
    _statistics_figure("received", "received", _("件")),
    _statistics_figure("on_spot_rate", "on_spot_rate", "%"),
    _statistics_figure("satisfaction_rate", "satisfied_rate", "%"),
    # 回访满意度 (seed 003: 97.4%): every return visit as answered, redone ones included.
    _statistics_figure("return_visit_satisfaction_rate", "return_visit_satisfied_rate", "%"),
    _statistics_figure("solved_rate", "solved_rate", "%"),
    # 响应率: the enterprise's answer that the department got in touch (联系率).
    _statistics_figure("responded_rate", "contacted_rate", "%"),
    _statistics_figure("legacy_cleared_rate", "legacy_cleared_rate", "%"),
    Measure(
        key="demands.overdue",
        label=_("超期诉求数"),
        definition=_(
            "统计期内受理的诉求中，截至当前仍待承办部门答复（已交办、已签收、办理中或已退回）"
            "且已过答复期限（期限当天结束前答复即不算超期）的条数。"
        ),
        unit=_("件"),
        compute=_overdue,
        url_name="demands:board",
    ),
)
