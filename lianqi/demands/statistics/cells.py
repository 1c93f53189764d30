"""Every write to the demand statistics' day cells (`StatisticsCell`), which are derived data,
on core's day-cell machinery (`lianqi.core.daycells`).

Every demand event marks the day its demand was received as stale (`mark_stale`, called by
the workflow's `recorded` hook in the step's own transaction), so a change is never missed and
marking costs one small insert. `refresh` recomputes the marked days from the demands and
their events with the same counting code the live statistics use (`figures.day_cells`) and
deletes the marks it read; the statistics page calls it for its own scope before reading, so
the figures are always current, and the periodic sweep drains the rest. See
`docs/decisions/0004-statistics-day-cells.md`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import TruncDate

from lianqi.core import workdays
from lianqi.core.daycells import DayCells, on_days
from lianqi.core.workdays import SHANGHAI

from ..models import Demand, StatisticsCell, StatisticsDimension, StatisticsStaleDay
from . import figures


def _count(jurisdiction_id: int, days: set[dt.date], at: dt.datetime) -> Iterator[Mapping[str, Any]]:
    """The cells of the demands `jurisdiction_id` received on `days`."""
    demands = Demand.objects.filter(on_days("received_at", days), jurisdiction_id=jurisdiction_id)
    for (day, dimension, key), counts in figures.day_cells(demands, at=at).items():
        yield {"received_on": day, "dimension": dimension, "key": key, **counts.as_fields()}


CELLS = DayCells(
    cell_model=StatisticsCell, mark_model=StatisticsStaleDay, day_field="received_on", count=_count
)


def mark_stale(demand: Demand) -> None:
    """Mark the statistics of `demand`'s received day stale; call inside the step's own
    transaction, so the mark commits (or rolls back) with the change."""
    CELLS.mark(demand.jurisdiction_id, demand.jurisdiction_path, workdays.shanghai_date(demand.received_at))


def mark_all_stale() -> int:
    """Mark every (jurisdiction, day) that has demands stale, to build the cells of demands
    written without the actions (an import, a restored backup, a benchmark's generated rows)
    or to rebuild them all. Returns the marks written."""
    days = (
        Demand.objects.order_by()
        .annotate(day=TruncDate("received_at", tzinfo=SHANGHAI))
        .values_list("jurisdiction_id", "jurisdiction_path", "day")
        .distinct()
    )
    return CELLS.mark_days(days)


def mark_counted_days_stale(**_signal: object) -> int:
    """Mark every day that has cells stale: the holiday table changed, and working days to
    close and signing on time are counted on it. Connected to `calendar_changed`, which is
    sent inside the change's own transaction."""
    return CELLS.mark_days(CELLS.counted_days(dimension=StatisticsDimension.TOTAL))


def refresh(*, marks: QuerySet[StatisticsStaleDay] | None = None, at: dt.datetime | None = None) -> int:
    """Recompute the cells of the stale days among `marks` (every mark when None); returns the
    days recomputed."""
    return CELLS.refresh(marks=marks, at=at)
