"""Every write to the demand statistics' day cells (`StatisticsCell`), which are derived data.

Every demand event marks the day its demand was received as stale (`mark_stale`, called by
the workflow's `recorded` hook in the step's own transaction), so a change is never missed and
marking costs one small insert. `refresh` recomputes the marked days from the demands and
their events with the same counting code the live statistics use (`figures.day_cells`) and
deletes the marks it read; the statistics page calls it for its own scope before reading, so
the figures are always current, and the periodic sweep drains the rest. Two refreshes of the same marks queue on
the marks' row locks; a mark written while a refresh runs survives it and is taken by the
next one. See `docs/decisions/0004-statistics-day-cells.md`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from lianqi.core import workdays
from lianqi.core.workdays import SHANGHAI

from ..models import Demand, StatisticsCell, StatisticsDimension, StatisticsStaleDay
from . import figures

#: How many marks one refresh transaction takes at most (a rebuild is many such batches).
BATCH_MARKS = 400


def mark_stale(demand: Demand) -> None:
    """Mark the statistics of `demand`'s received day stale; call inside the step's own
    transaction, so the mark commits (or rolls back) with the change."""
    StatisticsStaleDay.objects.create(
        jurisdiction_id=demand.jurisdiction_id,
        jurisdiction_path=demand.jurisdiction_path,
        received_on=workdays.shanghai_date(demand.received_at),
    )


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
    return _mark(days)


def mark_counted_days_stale(**_signal: object) -> int:
    """Mark every day that has cells stale: the holiday table changed, and working days to
    close and signing on time are counted on it. Connected to `calendar_changed`, which is
    sent inside the change's own transaction."""
    days = (
        StatisticsCell.objects.filter(dimension=StatisticsDimension.TOTAL)
        .order_by()
        .values_list("jurisdiction_id", "jurisdiction_path", "received_on")
        .distinct()
    )
    return _mark(days)


def _mark(days: Iterable[tuple[int, str, dt.date]]) -> int:
    marks = [StatisticsStaleDay(jurisdiction_id=j, jurisdiction_path=p, received_on=d) for j, p, d in days]
    StatisticsStaleDay.objects.bulk_create(marks, batch_size=2000)
    return len(marks)


def refresh(*, marks: QuerySet[StatisticsStaleDay] | None = None, at: dt.datetime | None = None) -> int:
    """Recompute the cells of the stale days among `marks` (every mark when None), in
    batches of `BATCH_MARKS` marks, each one transaction; returns the days recomputed."""
    at = at or timezone.now()
    marks = StatisticsStaleDay.objects.all() if marks is None else marks
    # Only the marks there are now: under a steady stream of steps a reader must not chase
    # the marks written after it started.
    newest = marks.aggregate(newest=Max("pk"))["newest"]
    if newest is None:
        return 0
    marks = marks.filter(pk__lte=newest)
    done = 0
    # Checked outside a transaction: on SQLite a transaction takes the write lock, and the
    # statistics page calls this on every read, nearly always with nothing to do.
    while True:
        refreshed = _refresh_batch(marks, at)
        if refreshed is None:
            break
        done += refreshed
    return done


def _refresh_batch(marks: QuerySet[StatisticsStaleDay], at: dt.datetime) -> int | None:
    with transaction.atomic():
        # Oldest first, in a fixed order, so that two refreshes lock marks in the same order.
        taken = list(
            marks.select_for_update()
            .order_by("received_on", "pk")
            .values_list("pk", "jurisdiction_id", "jurisdiction_path", "received_on")[:BATCH_MARKS]
        )
        if not taken:
            return None
        days: dict[tuple[int, str], set[dt.date]] = defaultdict(set)
        for _pk, jurisdiction_id, path, day in taken:
            days[(jurisdiction_id, path)].add(day)
        for (jurisdiction_id, path), wanted in days.items():
            _rewrite_cells(jurisdiction_id, path, wanted, at)
        StatisticsStaleDay.objects.filter(pk__in=[pk for pk, *_rest in taken]).delete()
    return sum(len(d) for d in days.values())


def _rewrite_cells(jurisdiction_id: int, path: str, days: set[dt.date], at: dt.datetime) -> None:
    received = Q()
    for first, last in _runs(sorted(days)):
        received |= Q(
            received_at__gte=_midnight(first), received_at__lt=_midnight(last + dt.timedelta(days=1))
        )
    demands = Demand.objects.filter(received, jurisdiction_id=jurisdiction_id)
    cells = figures.day_cells(demands, at=at)
    StatisticsCell.objects.filter(jurisdiction_id=jurisdiction_id, received_on__in=days).delete()
    StatisticsCell.objects.bulk_create(
        (
            StatisticsCell(
                jurisdiction_id=jurisdiction_id,
                jurisdiction_path=path,
                received_on=day,
                dimension=dimension,
                key=key,
                **counts.as_fields(),
            )
            for (day, dimension, key), counts in cells.items()
            if day in days
        ),
        batch_size=2000,
    )


def _runs(days: Iterable[dt.date]) -> Iterator[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) runs, so a month of marks is one range, not 31."""
    first = last = None
    for day in days:
        if last is not None and day == last + dt.timedelta(days=1):
            last = day
            continue
        if first is not None and last is not None:
            yield first, last
        first = last = day
    if first is not None and last is not None:
        yield first, last


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
