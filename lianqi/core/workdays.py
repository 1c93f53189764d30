"""The working-day clock: deadlines counted in Chinese working days.

Plain Python over a calendar object; no Django import, so it is tested alone and any module
(demands, approvals, reports) can use it with a calendar loaded by `calendar_store`.

A day is a **working day** when
- it is a swapped working weekend day (调休上班日, in ``cal.extra_workdays``), or
- it is Monday–Friday and not a statutory holiday (法定节假日, in ``cal.holidays``).

Only years in ``cal.years_loaded`` use the table. **For a year not loaded the clock falls back
to Monday–Friday**, and every computation that looked at such a year says so in its result's
``fallback_years``, so that pages can warn that a deadline may be off by the holidays of a year
whose arrangement has not been entered yet.

Rules of counting (one definition, used everywhere):

- ``add_workdays(D, n)`` is the **due date** of something assigned on day D (at any time of
  that day) with n working days to do it: the n-th working day *after* D. D itself never
  counts, whether it is a working day or not; a start on a holiday or a weekend counts from the
  next working day. The thing is due at the **end** of that day (Asia/Shanghai), so it becomes
  overdue when the Shanghai date is later than the due date. ``n = 0`` means "the same day":
  the due date is D.
- ``workdays_between(a, b)`` counts the working days in the half-open span ``(a, b]``: after a,
  up to and including b. It is negative when b is before a. So
  ``workdays_between(D, add_workdays(D, n).day) == n`` for every n >= 0, and a demand due on
  ``due`` and still open on ``today`` is overdue by ``workdays_between(due, today)`` working
  days (0 on a weekend right after a Friday deadline: no working day has passed yet).
- ``previous_workday(d)`` / ``next_workday(d)`` are the nearest working days strictly before /
  after d.

Functions take dates; the ``*_at`` variants take an aware ``datetime`` and use its
Asia/Shanghai date. Nothing here reads the clock: "now" is always an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from typing import Protocol
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = dt.timedelta(days=1)
#: A deadline further than this many working days away is a typing mistake, not a plan; the
#: limit also bounds the loop.
MAX_WORKDAYS = 3660


class CalendarLike(Protocol):
    """What the clock needs to know: the special days and which years have data."""

    @property
    def holidays(self) -> Set[dt.date]: ...

    @property
    def extra_workdays(self) -> Set[dt.date]: ...

    @property
    def years_loaded(self) -> Set[int]: ...


@dataclass(frozen=True)
class Calendar:
    """An immutable working-day calendar: statutory holidays, swapped working weekend days
    (调休上班日), and the years for which the official arrangement is known."""

    holidays: frozenset[dt.date] = frozenset()
    extra_workdays: frozenset[dt.date] = frozenset()
    years_loaded: frozenset[int] = frozenset()
    #: Optional names (春节, 国庆节 …) of the special days, for display.
    names: dict[dt.date, str] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def build(
        cls,
        *,
        holidays: Iterable[dt.date] = (),
        extra_workdays: Iterable[dt.date] = (),
        years_loaded: Iterable[int] = (),
        names: dict[dt.date, str] | None = None,
    ) -> Calendar:
        return cls(frozenset(holidays), frozenset(extra_workdays), frozenset(years_loaded), dict(names or {}))


@dataclass(frozen=True)
class DayResult:
    """A computed date, and the years it looked at that had no data (Mon–Fri was assumed)."""

    day: dt.date
    fallback_years: frozenset[int] = frozenset()

    @property
    def uses_fallback(self) -> bool:
        return bool(self.fallback_years)


@dataclass(frozen=True)
class CountResult:
    """A number of working days, and the years it looked at that had no data."""

    days: int
    fallback_years: frozenset[int] = frozenset()

    @property
    def uses_fallback(self) -> bool:
        return bool(self.fallback_years)


# --- Single days -------------------------------------------------------------------------------


def is_loaded(year: int, cal: CalendarLike) -> bool:
    return year in cal.years_loaded


def is_workday(day: dt.date, cal: CalendarLike) -> bool:
    """Whether people work on `day` (see the module docstring for the rule)."""
    day = _as_date(day)
    if day.year in cal.years_loaded:
        if day in cal.extra_workdays:
            return True
        if day in cal.holidays:
            return False
    return day.weekday() < 5


def day_kind(day: dt.date, cal: CalendarLike) -> str:
    """What kind of day it is, for display: ``holiday`` (statutory holiday), ``workday``
    (swapped working weekend day), ``weekend``, ``weekday``; years without data know only
    ``weekend`` and ``weekday``."""
    day = _as_date(day)
    if day.year in cal.years_loaded:
        if day in cal.extra_workdays:
            return "workday"
        if day in cal.holidays:
            return "holiday"
    return "weekday" if day.weekday() < 5 else "weekend"


def years_not_loaded(first: dt.date, last: dt.date, cal: CalendarLike) -> frozenset[int]:
    """The years between two dates (inclusive, in either order) that have no data."""
    low, high = sorted((_as_date(first), _as_date(last)))
    return frozenset(y for y in range(low.year, high.year + 1) if y not in cal.years_loaded)


# --- Deadlines -------------------------------------------------------------------------------


def add_workdays(start: dt.date, n: int, cal: CalendarLike) -> DayResult:
    """The due date of something given on `start` with `n` working days: the n-th working day
    after `start` (`start` itself does not count; n = 0 gives `start`)."""
    start = _as_date(start)
    _check_n(n)
    day = start
    remaining = n
    while remaining:
        day += ONE_DAY
        if is_workday(day, cal):
            remaining -= 1
    touched = years_not_loaded(start + ONE_DAY, day, cal) if n else frozenset[int]()
    return DayResult(day, touched)


def next_workday(day: dt.date, cal: CalendarLike) -> DayResult:
    """The first working day strictly after `day`."""
    return add_workdays(day, 1, cal)


def previous_workday(day: dt.date, cal: CalendarLike) -> DayResult:
    """The last working day strictly before `day`."""
    start = _as_date(day)
    current = start - ONE_DAY
    while not is_workday(current, cal):
        current -= ONE_DAY
    return DayResult(current, years_not_loaded(current, start - ONE_DAY, cal))


def workdays_between(a: dt.date, b: dt.date, cal: CalendarLike) -> CountResult:
    """Working days in ``(a, b]`` (after a, up to and including b); negative when b < a.

    Computed arithmetically (weekdays by formula, then the table's exceptions in the span), so
    it is cheap over long spans and independent of `add_workdays`' day-by-day walk."""
    a, b = _as_date(a), _as_date(b)
    if b < a:
        result = workdays_between(b, a, cal)
        return CountResult(-result.days, result.fallback_years)
    count = _weekdays_after_until(a, b)
    loaded = cal.years_loaded
    # A holiday on a weekday takes a working day away; a worked weekend day adds one. A date in
    # both sets is a working day (extra_workdays wins, as in `is_workday`).
    for day in _in_span(cal.holidays, a, b):
        if day.year in loaded and day.weekday() < 5 and day not in cal.extra_workdays:
            count -= 1
    for day in _in_span(cal.extra_workdays, a, b):
        if day.year in loaded and day.weekday() >= 5:
            count += 1
    touched = years_not_loaded(a + ONE_DAY, b, cal) if b > a else frozenset[int]()
    return CountResult(count, touched)


def is_overdue(due: dt.date, at: dt.datetime) -> bool:
    """Whether something due at the end of `due` is late at the moment `at`."""
    return shanghai_date(at) > _as_date(due)


def end_of_day(day: dt.date) -> dt.datetime:
    """The moment a deadline on `day` passes: midnight at the start of the next Shanghai day
    (a thing done before this moment is on time)."""
    following = _as_date(day) + ONE_DAY
    return dt.datetime(following.year, following.month, following.day, tzinfo=SHANGHAI)


# --- Moments ---------------------------------------------------------------------------------


def shanghai_date(moment: dt.datetime) -> dt.date:
    """The calendar date in Asia/Shanghai of an aware datetime. A naive datetime is refused:
    guessing its zone is how deadlines silently move by a day."""
    if not isinstance(moment, dt.datetime):
        raise TypeError("expected a datetime")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: give an aware datetime (USE_TZ)")
    return moment.astimezone(SHANGHAI).date()


def is_workday_at(moment: dt.datetime, cal: CalendarLike) -> bool:
    return is_workday(shanghai_date(moment), cal)


def add_workdays_at(moment: dt.datetime, n: int, cal: CalendarLike) -> DayResult:
    """`add_workdays` from the Shanghai date of an aware moment (an assignment's time)."""
    return add_workdays(shanghai_date(moment), n, cal)


def workdays_between_at(a: dt.datetime, b: dt.datetime, cal: CalendarLike) -> CountResult:
    return workdays_between(shanghai_date(a), shanghai_date(b), cal)


# --- Helpers ---------------------------------------------------------------------------------


def _as_date(value: dt.date) -> dt.date:
    # A datetime is a date subclass: accepting it silently would use its own (maybe UTC) date.
    if isinstance(value, dt.datetime):
        raise TypeError("expected a date; use the *_at variant for a datetime")
    if not isinstance(value, dt.date):
        raise TypeError("expected a date")
    return value


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("the number of working days must be an int")
    if n < 0:
        raise ValueError("the number of working days cannot be negative")
    if n > MAX_WORKDAYS:
        raise ValueError(f"at most {MAX_WORKDAYS} working days")


def _weekdays_after_until(a: dt.date, b: dt.date) -> int:
    """Monday–Friday days in (a, b], for a <= b."""
    return _weekdays_up_to(b) - _weekdays_up_to(a)


def _weekdays_up_to(day: dt.date) -> int:
    """Monday–Friday days from an arbitrary Monday epoch up to and including `day`."""
    ordinal = day.toordinal() - 1  # 0001-01-01 is a Monday: ordinal 0 is a Monday
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest + 1, 5)


def _in_span(days: Set[dt.date], a: dt.date, b: dt.date) -> list[dt.date]:
    """The members of `days` in (a, b]. The table holds a few dozen days a year, so a scan is
    cheaper than keeping a sorted copy in step with it."""
    return [day for day in days if a < day <= b]


# --- The chinese-calendar package ------------------------------------------------------------


@dataclass(frozen=True)
class PackageDay:
    day: dt.date
    kind: str  # "holiday" or "workday"
    name: str


def package_years() -> range:
    """The years the installed ``chinese-calendar`` package has arrangements for."""
    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def package_days(year: int) -> list[PackageDay]:
    """The package's special days of one year, with Chinese names (春节, 国庆节 …)."""
    chinese = {h.value: h.chinese for h in chinese_calendar.Holiday}
    rows = [
        PackageDay(day, "holiday", chinese.get(name, name))
        for day, name in chinese_calendar.holidays.items()
        if day.year == year
    ]
    rows += [
        PackageDay(day, "workday", chinese.get(name, name))
        for day, name in chinese_calendar.workdays.items()
        if day.year == year
    ]
    return sorted(rows, key=lambda r: r.day)
