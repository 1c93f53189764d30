"""The finance figures' day cells (`FigureCell`), derived data on core's day-cell machinery
(`lianqi.core.daycells`).

Every application step marks the days it touches stale (`mark_stale`, the workflow's
`recorded` hook, in the step's own transaction): the day the application was submitted (its
state is counted there), the day of the step, and for a loan each tranche's day and the
enterprise's first loan of that year. `refresh` recomputes the marked days and deletes the
marks; the figures page refreshes its own scope before reading, and the periodic sweep drains
the rest. See `docs/decisions/0004-statistics-day-cells.md`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db.models import Min, QuerySet
from django.db.models.functions import TruncDate

from lianqi.core import calendar_store, workdays
from lianqi.core.daycells import DayCells, on_days
from lianqi.core.workdays import SHANGHAI

from .choices import ApplicationState, FigureDimension, FigureStep
from .models import Application, ApplicationEvent, FigureCell, FigureStaleDay, Tranche

D = FigureDimension
#: The decided states, and which of them granted credit.
GRANTED = (ApplicationState.APPROVED, ApplicationState.DISBURSED, ApplicationState.CLOSED)
DECIDED = (*GRANTED, ApplicationState.DECLINED)
#: The columns of a cell that are counts.
COUNTS = ("applications", "granted", "declined", "granted_fen", "disbursed_fen", "tranches", "served")
#: The application's fields each dimension is keyed by.
KEYED_BY = {
    D.INSTITUTION: "institution_id",
    D.PRODUCT_KIND: "product__kind",
    D.INDUSTRY: "enterprise__industry__section",
    D.ENTERPRISE_KIND: "enterprise__kind",
}


def _keys(row: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """The (dimension, key) cells one application counts in (`row` holds `KEYED_BY`'s fields,
    each under `prefix`)."""
    yield D.TOTAL, ""
    for dimension, name in KEYED_BY.items():
        yield dimension, str(row[prefix + name] or "")


def _count(jurisdiction_id: int, days: set[dt.date], at: dt.datetime) -> Iterator[Mapping[str, Any]]:
    """The cells of `days` of one jurisdiction, each count on the day its event happened."""
    calendar = calendar_store.get_calendar()
    cells: dict[tuple[dt.date, str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    mine = Application.objects.filter(jurisdiction_id=jurisdiction_id).order_by()
    fields = (*KEYED_BY.values(),)

    for row in mine.filter(on_days("submitted_at", days)).values(*fields, "state", "submitted_at"):
        day = workdays.shanghai_date(row["submitted_at"])
        for dimension, key in _keys(row):
            cells[(day, dimension, key)]["applications"] += 1
        cells[(day, D.STATE, row["state"])]["applications"] += 1

    accepted = mine.filter(on_days("accepted_at", days), accepted_at__isnull=False)
    for row in accepted.values("submitted_at", "accepted_at"):
        _time(cells, calendar, FigureStep.ACCEPT, row["submitted_at"], row["accepted_at"])

    decided = mine.filter(on_days("decided_at", days), state__in=DECIDED)
    for row in decided.values(*fields, "state", "granted_fen", "accepted_at", "decided_at"):
        day = workdays.shanghai_date(row["decided_at"])
        granted = row["state"] in GRANTED
        for dimension, key in _keys(row):
            cell = cells[(day, dimension, key)]
            cell["granted" if granted else "declined"] += 1
            cell["granted_fen"] += (row["granted_fen"] or 0) if granted else 0
        if row["accepted_at"] is not None:
            _time(cells, calendar, FigureStep.DECIDE, row["accepted_at"], row["decided_at"])

    paid = Tranche.objects.filter(
        application__jurisdiction_id=jurisdiction_id, disbursed_on__in=days
    ).order_by()
    prefixed = tuple(f"application__{name}" for name in fields)
    for row in paid.values(*prefixed, "number", "amount_fen", "disbursed_on", "application__decided_at"):
        day = row["disbursed_on"]
        for dimension, key in _keys(row, "application__"):
            cells[(day, dimension, key)]["disbursed_fen"] += row["amount_fen"]
            cells[(day, dimension, key)]["tranches"] += 1
        if row["number"] == 1 and row["application__decided_at"] is not None:
            decided_on = workdays.shanghai_date(row["application__decided_at"])
            days_taken = workdays.workdays_between(decided_on, day, calendar).days
            cells[(day, D.STEP_DAYS, f"{FigureStep.DISBURSE}:{max(days_taken, 0)}")]["applications"] += 1

    for day, _enterprise in first_loans(jurisdiction_id, days):
        cells[(day, D.TOTAL, "")]["served"] += 1

    for (day, dimension, key), counts in cells.items():
        yield {"day": day, "dimension": dimension, "key": key, **counts}


def _time(
    cells: dict[tuple[dt.date, str, str], dict[str, int]],
    calendar: Any,
    step: str,
    started: dt.datetime,
    ended: dt.datetime | None,
) -> None:
    """Count one step that started at `started` and ended at `ended` in the working days
    histogram of the day it ended."""
    if ended is None:
        return
    end = workdays.shanghai_date(ended)
    taken = max(workdays.workdays_between(workdays.shanghai_date(started), end, calendar).days, 0)
    cells[(end, D.STEP_DAYS, f"{step}:{taken}")]["applications"] += 1


def first_loans(jurisdiction_id: int, days: Iterable[dt.date]) -> list[tuple[dt.date, int]]:
    """The (day, enterprise) of each enterprise of the jurisdiction whose first loan of the year
    was paid on one of `days`."""
    days = set(days)
    if not days:
        return []
    tranches = Tranche.objects.filter(application__jurisdiction_id=jurisdiction_id).order_by()
    lent_on_days = tranches.filter(disbursed_on__in=days).values("application__enterprise_id")
    result = []
    for year in sorted({day.year for day in days}):
        firsts = (
            tranches.filter(
                application__enterprise_id__in=lent_on_days,
                disbursed_on__gte=dt.date(year, 1, 1),
                disbursed_on__lte=dt.date(year, 12, 31),
            )
            .values("application__enterprise_id")
            .annotate(first=Min("disbursed_on"))
        )
        result += [
            (row["first"], row["application__enterprise_id"]) for row in firsts if row["first"] in days
        ]
    return result


CELLS = DayCells(cell_model=FigureCell, mark_model=FigureStaleDay, day_field="day", count=_count)


def mark_stale(event: ApplicationEvent) -> None:
    """Mark the days an application's step touches stale: the workflow's `recorded` hook, so
    inside the step's own transaction."""
    mark_application(event.application, at=event.at)


def mark_application(row: Application, *, at: dt.datetime) -> None:
    """Mark the days a change of `row` at `at` touches stale: the day it was submitted, the day
    of the change, and after a loan each tranche's day and the enterprise's first loan of each
    of those years."""
    days = {workdays.shanghai_date(row.submitted_at), workdays.shanghai_date(at)}
    paid = set(row.tranches.values_list("disbursed_on", flat=True))
    days |= paid
    for year in {day.year for day in paid}:
        first = (
            Tranche.objects.filter(
                application__enterprise_id=row.enterprise_id,
                application__jurisdiction_id=row.jurisdiction_id,
                disbursed_on__year=year,
            )
            .order_by()
            .aggregate(first=Min("disbursed_on"))["first"]
        )
        if first is not None:
            days.add(first)
    CELLS.mark_days((row.jurisdiction_id, row.jurisdiction_path, day) for day in days)


def mark_all_stale() -> int:
    """Mark every (jurisdiction, day) with an application or a loan stale, to build the cells
    of rows written without the actions (an import, a restored backup, a benchmark's rows) or
    to rebuild them all; returns the marks written."""
    submitted = (
        Application.objects.order_by()
        .annotate(day=TruncDate("submitted_at", tzinfo=SHANGHAI))
        .values_list("jurisdiction_id", "jurisdiction_path", "day")
        .distinct()
    )
    decided = (
        Application.objects.filter(decided_at__isnull=False)
        .order_by()
        .annotate(day=TruncDate("decided_at", tzinfo=SHANGHAI))
        .values_list("jurisdiction_id", "jurisdiction_path", "day")
        .distinct()
    )
    accepted = (
        Application.objects.filter(accepted_at__isnull=False)
        .order_by()
        .annotate(day=TruncDate("accepted_at", tzinfo=SHANGHAI))
        .values_list("jurisdiction_id", "jurisdiction_path", "day")
        .distinct()
    )
    paid = (
        Tranche.objects.order_by()
        .values_list("application__jurisdiction_id", "application__jurisdiction_path", "disbursed_on")
        .distinct()
    )
    days = set(submitted) | set(decided) | set(accepted) | set(paid)
    return CELLS.mark_days(sorted(days))


def mark_counted_days_stale(**_signal: object) -> int:
    """Mark every day that has cells stale: the holiday table changed, and the steps' working
    days are counted on it. Connected to `calendar_changed`."""
    return CELLS.mark_days(CELLS.counted_days(dimension=D.TOTAL))


def refresh(*, marks: QuerySet[FigureStaleDay] | None = None, at: dt.datetime | None = None) -> int:
    """Recompute the cells of the stale days among `marks` (every mark when None); returns the
    days recomputed."""
    return CELLS.refresh(marks=marks, at=at)
