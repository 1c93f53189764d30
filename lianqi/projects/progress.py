"""The progress engine of key projects, in plain Python (no Django, so it is tested and
benchmarked on its own): completion against plan to the hundredth of a percent, a milestone's
slippage in calendar days, a project's status from its milestones and its investment, and the
checks of a milestone plan (dates in order, no dependency on itself or in a circle)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")

#: A project's status words (the pages label them).
ON_TRACK = "on_track"
BEHIND = "behind"
SLIPPED = "slipped"
DONE = "done"

#: Below this share of the time-proportional plan a project is behind on investment.
BEHIND_SHARE = Decimal("0.90")


def completion(done: Decimal, plan: Decimal) -> Decimal | None:
    """Done as a percentage of plan, rounded half up to 0.01 (89.74); None without a plan."""
    if plan <= 0:
        return None
    return (Decimal(done) * 100 / Decimal(plan)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MilestoneDates:
    """What the engine needs of one milestone: its planned end and, once reached, its actual one."""

    key: int
    planned_end: dt.date
    actual_end: dt.date | None = None


def slippage(milestone: MilestoneDates, today: dt.date) -> int:
    """Days a milestone is late: finished after its planned end, or still open past it (0 otherwise)."""
    reached = milestone.actual_end or today
    if milestone.actual_end is None and today <= milestone.planned_end:
        return 0
    return max(0, (reached - milestone.planned_end).days)


def year_share(today: dt.date) -> Decimal:
    """The share of the year gone by on `today` (1 January: 1/365; 31 December: 1)."""
    start = dt.date(today.year, 1, 1)
    length = (dt.date(today.year + 1, 1, 1) - start).days
    return Decimal((today - start).days + 1) / Decimal(length)


def project_status(
    *,
    milestones: Iterable[MilestoneDates],
    year_plan: Decimal,
    year_done: Decimal,
    today: dt.date,
    finished: bool = False,
) -> str:
    """A project's status: done once in production; slipped when a milestone is late; behind
    when its investment this year is below 90% of the plan's share of the year gone by; on
    track otherwise."""
    if finished:
        return DONE
    if any(slippage(m, today) > 0 and m.actual_end is None for m in milestones):
        return SLIPPED
    if year_plan > 0 and Decimal(year_done) < Decimal(year_plan) * year_share(today) * BEHIND_SHARE:
        return BEHIND
    return ON_TRACK


def dependency_cycle(depends_on: Mapping[int, int | None], start: int) -> bool:
    """Whether following `start`'s dependencies (`depends_on[key]` is the milestone `key` waits
    for) comes back to `start`: a milestone may not wait for itself, directly or around a circle."""
    seen: set[int] = set()
    current = depends_on.get(start)
    while current is not None:
        if current == start:
            return True
        if current in seen:
            return False
        seen.add(current)
        current = depends_on.get(current)
    return False


@dataclass(frozen=True)
class Bar:
    """One row of the battle map: where a milestone's planned and actual bars start and how long
    they are, as percentages of the chart's width, and its slippage."""

    key: int
    planned_left: float
    planned_width: float
    actual_left: float | None
    actual_width: float | None
    slipped_days: int


def battle_map(
    milestones: Iterable[tuple[MilestoneDates, dt.date, dt.date | None]], today: dt.date
) -> tuple[dt.date, dt.date, list[Bar]]:
    """The Gantt rows of a milestone plan: each milestone given as (dates, planned start, actual
    start); answers the chart's first and last day and one `Bar` per milestone. An open actual bar
    runs to today."""
    rows = list(milestones)
    if not rows:
        return today, today, []
    days = [d for m, start, actual in rows for d in (m.planned_end, start, m.actual_end, actual) if d]
    first, last = min([*days, today]), max([*days, today])
    span = max(1, (last - first).days + 1)

    def pos(day: dt.date) -> float:
        return round((day - first).days * 100 / span, 2)

    bars = []
    for milestone, start, actual_start in rows:
        planned_width = max(0.5, pos(milestone.planned_end) - pos(start) + 100 / span)
        actual_left = actual_width = None
        if actual_start is not None:
            end = milestone.actual_end or today
            actual_left = pos(actual_start)
            actual_width = max(0.5, pos(end) - actual_left + 100 / span)
        bars.append(
            Bar(
                milestone.key,
                pos(start),
                planned_width,
                actual_left,
                actual_width,
                slippage(milestone, today),
            )
        )
    return first, last, bars
