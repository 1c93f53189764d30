"""The inspection statistics' day cells (`StatisticsCell`), derived data on core's day-cell
machinery (`lianqi.core.daycells`, decision 0004).

Every inspection step marks its planned day stale (the workflow's `recorded` hook, in the
step's own transaction; a rating marks it in its own). An order to rectify becomes overdue the
day after its deadline without any step: `mark_passed_deadlines` marks, once a day, the planned
days of the orders whose deadline passed since it last ran. `refresh` recomputes the marked
days with the statistics' own counting code (`counting.day_cells`) and deletes the marks; the
statistics page checks the deadlines and refreshes its scope before reading, and the periodic
task drains the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lianqi.core.daycells import DayCells

from .choices import Finding
from .counting import day_cells
from .models import DeadlineCheck, Inspection, InspectionEvent, StatisticsCell, StatisticsStaleDay


def _count(jurisdiction_id: int, days: set[dt.date], at: dt.datetime) -> Iterator[Mapping[str, Any]]:
    """The cells of the inspections `jurisdiction_id` planned on `days`, overdue as of `at`."""
    rows = Inspection.objects.filter(jurisdiction_id=jurisdiction_id, planned_on__in=days)
    yield from day_cells(rows, today=timezone.localdate(at))


CELLS = DayCells(
    cell_model=StatisticsCell, mark_model=StatisticsStaleDay, day_field="planned_on", count=_count
)


def mark_inspection(row: Inspection) -> None:
    """Mark the statistics of `row`'s planned day stale; call inside the change's own
    transaction, so the mark commits (or rolls back) with it."""
    CELLS.mark(row.jurisdiction_id, row.jurisdiction_path, row.planned_on)


def mark_stale(event: InspectionEvent) -> None:
    """The workflow's `recorded` hook: every step marks its inspection's planned day."""
    mark_inspection(event.inspection)


def mark_passed_deadlines(today: dt.date | None = None) -> int:
    """Mark the planned days of the rectification orders whose deadline passed since the last
    check (they may have become overdue with no step taken), and move the check to `today`.
    The first check only records the day: the cells are counted as of then. Returns the marks."""
    today = today or timezone.localdate()
    with transaction.atomic():
        check = DeadlineCheck.objects.select_for_update().order_by("pk").first()
        if check is None:
            DeadlineCheck.objects.create(checked_on=today)
            return 0
        if check.checked_on >= today:
            return 0
        days = (
            Inspection.objects.filter(
                finding=Finding.RECTIFICATION,
                rectification_due_on__gte=check.checked_on - dt.timedelta(days=1),
                rectification_due_on__lt=today,
            )
            .order_by()
            .values_list("jurisdiction_id", "jurisdiction_path", "planned_on")
            .distinct()
        )
        marked = CELLS.mark_days(list(days))
        check.checked_on = today
        check.save()
    return marked


def mark_all_stale() -> int:
    """Mark every (jurisdiction, planned day) that has inspections stale, to build the cells of
    inspections written without the actions (an import, a restored backup, a benchmark's rows)
    or to rebuild them all; returns the marks written."""
    days = (
        Inspection.objects.order_by()
        .values_list("jurisdiction_id", "jurisdiction_path", "planned_on")
        .distinct()
    )
    return CELLS.mark_days(list(days))


def refresh(*, marks: QuerySet[StatisticsStaleDay] | None = None, at: dt.datetime | None = None) -> int:
    """Recompute the cells of the stale days among `marks` (every mark when None); returns the
    days recomputed."""
    return CELLS.refresh(marks=marks, at=at)
