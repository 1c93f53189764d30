"""Day cells: a statistics page's additive counts kept per jurisdiction and day, so that a
year's figures add up a few thousand cells instead of reading a million rows.

Cells are derived data. Every write that can change a day's counts marks that day stale (one
small insert, in the write's own transaction, so a change is never missed); `DayCells.refresh`
recomputes the marked days with the app's own counting code and deletes the marks it read.
A statistics page refreshes its own scope before reading, so its figures are always current,
and a periodic sweep drains the rest. Two refreshes of the same marks queue on the marks' row
locks; a mark written while a refresh runs survives it and is taken by the next one. See
`docs/decisions/0004-statistics-day-cells.md`.

An app keeps two models — its cells (a jurisdiction, its path, the day, whatever the cell is
counted by, and the counts) and its stale marks (a jurisdiction, its path, the day) — and
describes them with one `DayCells`; this module does the rest."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from lianqi.core.workdays import SHANGHAI

#: How many marks one refresh transaction takes at most (a rebuild is many such batches).
BATCH_MARKS = 400

#: Counts the cells of some days of one jurisdiction: given the jurisdiction's id, the days and
#: the moment of the refresh, the field values of every cell of those days (the day field
#: included; the jurisdiction and its path are added).
Counter = Callable[[int, set[dt.date], dt.datetime], Iterable[Mapping[str, Any]]]


@dataclass(frozen=True)
class DayCells:
    """One app's day cells: the model they are kept in, the model of their stale marks, the
    name of the day field both share, and the code that counts a day."""

    cell_model: type[models.Model]
    mark_model: type[models.Model]
    day_field: str
    count: Counter

    def mark(self, jurisdiction_id: int, jurisdiction_path: str, day: dt.date) -> None:
        """Mark one day of one jurisdiction stale; call inside the change's own transaction,
        so that the mark commits (or rolls back) with it."""
        self.mark_model._default_manager.create(
            jurisdiction_id=jurisdiction_id, jurisdiction_path=jurisdiction_path, **{self.day_field: day}
        )

    def mark_days(self, days: Iterable[tuple[int, str, dt.date]]) -> int:
        """Mark every (jurisdiction id, path, day) of `days` stale, to build the cells of rows
        written without the actions (an import, a restored backup, a benchmark's rows) or to
        rebuild them; returns the marks written."""
        marks = [
            self.mark_model(jurisdiction_id=j, jurisdiction_path=p, **{self.day_field: d}) for j, p, d in days
        ]
        self.mark_model._default_manager.bulk_create(marks, batch_size=2000)
        return len(marks)

    def counted_days(self, **where: Any) -> QuerySet[Any]:
        """Every (jurisdiction id, path, day) that has cells (those matching `where`: one
        dimension is enough when every counted day has a cell of it)."""
        return (
            self.cell_model._default_manager.filter(**where)
            .order_by()
            .values_list("jurisdiction_id", "jurisdiction_path", self.day_field)
            .distinct()
        )

    def refresh(self, *, marks: QuerySet[Any] | None = None, at: dt.datetime | None = None) -> int:
        """Recompute the cells of the stale days among `marks` (every mark when None), in
        batches of `BATCH_MARKS` marks, each one transaction; returns the days recomputed."""
        at = at or timezone.now()
        marks = self.mark_model._default_manager.all() if marks is None else marks
        # Only the marks there are now: under a steady stream of writes a reader must not
        # chase the marks written after it started.
        newest = marks.aggregate(newest=Max("pk"))["newest"]
        if newest is None:
            return 0
        marks = marks.filter(pk__lte=newest)
        done = 0
        # Checked outside a transaction: on SQLite a transaction takes the write lock, and a
        # statistics page calls this on every read, nearly always with nothing to do.
        while True:
            refreshed = self._refresh_batch(marks, at)
            if refreshed is None:
                break
            done += refreshed
        return done

    def _refresh_batch(self, marks: QuerySet[Any], at: dt.datetime) -> int | None:
        with transaction.atomic():
            # Oldest first, in a fixed order, so that two refreshes lock marks in the same order.
            taken = list(
                marks.select_for_update()
                .order_by(self.day_field, "pk")
                .values_list("pk", "jurisdiction_id", "jurisdiction_path", self.day_field)[:BATCH_MARKS]
            )
            if not taken:
                return None
            days: dict[tuple[int, str], set[dt.date]] = defaultdict(set)
            for _pk, jurisdiction_id, path, day in taken:
                days[(jurisdiction_id, path)].add(day)
            for (jurisdiction_id, path), wanted in days.items():
                self._rewrite(jurisdiction_id, path, wanted, at)
            self.mark_model._default_manager.filter(pk__in=[pk for pk, *_rest in taken]).delete()
        return sum(len(wanted) for wanted in days.values())

    def _rewrite(self, jurisdiction_id: int, path: str, days: set[dt.date], at: dt.datetime) -> None:
        manager = self.cell_model._default_manager
        manager.filter(jurisdiction_id=jurisdiction_id, **{f"{self.day_field}__in": days}).delete()
        manager.bulk_create(
            (
                self.cell_model(jurisdiction_id=jurisdiction_id, jurisdiction_path=path, **fields)
                for fields in self.count(jurisdiction_id, days, at)
                if fields[self.day_field] in days
            ),
            batch_size=2000,
        )


def day_runs(days: Iterable[dt.date]) -> Iterator[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) runs, so a month of marks is one range, not 31."""
    first = last = None
    for day in sorted(days):
        if last is not None and day == last + dt.timedelta(days=1):
            last = day
            continue
        if first is not None and last is not None:
            yield first, last
        first = last = day
    if first is not None and last is not None:
        yield first, last


def on_days(field: str, days: Iterable[dt.date]) -> Q:
    """The rows whose moment `field` falls on one of `days` in Beijing time, as a few ranges."""
    condition = Q()
    for first, last in day_runs(days):
        condition |= Q(
            **{f"{field}__gte": _midnight(first), f"{field}__lt": _midnight(last + dt.timedelta(days=1))}
        )
    return condition


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
