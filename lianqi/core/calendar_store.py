"""The working-day calendar as stored in the database, cached per process.

`get_calendar()` answers from a process-wide copy. The copy is checked against a cheap stamp of
the tables (row counts and the latest change) on each call, so an edit made by another worker
process, the `load_holidays` command or a rolled-back test shows at once; the actions also drop
the copy themselves after they commit (`invalidate`). Loading the whole table is a few hundred
rows, read once per change.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max
from django.dispatch import Signal

from . import workdays
from .models import CalendarYear, SpecialDay
from .roles import OFFICE_ROLES, has_role

#: Sent inside the transaction that changed the holiday table, so that figures derived from
#: working days (the demand statistics' stored cells) can be marked stale in the same commit.
calendar_changed = Signal()

_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], workdays.Calendar] | None = None

#: How far ahead the warning looks: from 1 November the next year's arrangement is due (the
#: State Council announces it in November), and deadlines set in December run into it.
LOOKAHEAD_DAYS = 61


def _stamp() -> tuple[Any, ...]:
    days = SpecialDay.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    years = CalendarYear.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    return (days["n"], days["last"], days["top"], years["n"], years["last"], years["top"])


def load_calendar() -> workdays.Calendar:
    """Read the calendar from the database, bypassing the cache."""
    loaded = frozenset(CalendarYear.objects.values_list("year", flat=True))
    holidays: set[dt.date] = set()
    extra: set[dt.date] = set()
    names: dict[dt.date, str] = {}
    for day, kind, name in SpecialDay.objects.values_list("day", "kind", "name"):
        (holidays if kind == SpecialDay.Kind.HOLIDAY else extra).add(day)
        if name:
            names[day] = name
    return workdays.Calendar.build(holidays=holidays, extra_workdays=extra, years_loaded=loaded, names=names)


def get_calendar() -> workdays.Calendar:
    """The current calendar (cached; reloaded when the tables changed)."""
    global _cached
    stamp = _stamp()
    cached = _cached
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        calendar = load_calendar()
        _cached = (stamp, calendar)
    return calendar


def invalidate() -> None:
    """Forget the cached calendar; the next `get_calendar()` reads the tables again."""
    global _cached
    with _lock:
        _cached = None


def years_missing(*, at: dt.date, lookahead_days: int = LOOKAHEAD_DAYS) -> list[int]:
    """The years a deadline set on `at` may run into that have no holiday data: the current
    year, and the next one once `at` is within `lookahead_days` of it (from 1 November by
    default). Dashboards show `workdays_warning.html` when this is not empty."""
    if isinstance(at, dt.datetime):
        at = workdays.shanghai_date(at)
    calendar = get_calendar()
    horizon = at + dt.timedelta(days=lookahead_days)
    return sorted(workdays.years_not_loaded(at, horizon, calendar))


def warning_context(*, at: dt.date, user: Any = None) -> dict[str, Any]:
    """The context `core/workdays_warning.html` reads: the missing years, and whether the user
    may open the calendar page to fix it."""
    return {
        "workdays_missing_years": years_missing(at=at),
        "workdays_can_manage": user is not None and has_role(user, OFFICE_ROLES),
    }


# --- Reads for the calendar pages ------------------------------------------------------------


@dataclass
class YearSummary:
    """One row of the years list: a loaded year with its counts, or a missing one."""

    year: int
    loaded: bool
    holidays: int = 0
    workdays: int = 0
    source: str = ""
    note: str = ""
    changed_by: Any = None
    updated_at: dt.datetime | None = None


def year_summaries(*, at: dt.date) -> list[YearSummary]:
    """Every loaded year, newest first, with the years `years_missing(at=…)` names on top."""
    holidays: Counter[int] = Counter()
    extra: Counter[int] = Counter()
    for day, kind in SpecialDay.objects.values_list("day", "kind"):
        (holidays if kind == SpecialDay.Kind.HOLIDAY else extra)[day.year] += 1
    rows = [
        YearSummary(
            year=y.year,
            loaded=True,
            holidays=holidays[y.year],
            workdays=extra[y.year],
            source=y.get_loaded_from_display(),
            note=y.note,
            changed_by=y.changed_by,
            updated_at=y.updated_at,
        )
        for y in CalendarYear.objects.select_related("changed_by").order_by("-year")
    ]
    missing = [YearSummary(year=y, loaded=False) for y in years_missing(at=at)]
    return sorted(missing + rows, key=lambda r: -r.year)


@dataclass
class Cell:
    """One day in a month grid."""

    day: dt.date
    kind: str  # holiday, workday, weekend, weekday (see workdays.day_kind)
    name: str
    today: bool


@dataclass
class Month:
    number: int
    weeks: list[list[Cell | None]]
    holidays: int
    workdays: int


def month_grid(year: int, calendar: workdays.Calendar, *, today: dt.date) -> list[Month]:
    """Twelve month grids (weeks from Monday) of `year`, each day marked with its kind."""
    grid = pycalendar.Calendar(firstweekday=0)
    months: list[Month] = []
    for number in range(1, 13):
        weeks: list[list[Cell | None]] = []
        counts: Counter[str] = Counter()
        for week in grid.monthdatescalendar(year, number):
            row: list[Cell | None] = []
            for day in week:
                if day.month != number:
                    row.append(None)
                    continue
                kind = workdays.day_kind(day, calendar)
                counts[kind] += 1
                row.append(Cell(day, kind, calendar.names.get(day, ""), day == today))
            weeks.append(row)
        months.append(Month(number, weeks, counts["holiday"], counts["workday"]))
    return months


def special_days(year: int) -> list[SpecialDay]:
    return list(SpecialDay.objects.filter(day__year=year).select_related("changed_by").order_by("day"))
