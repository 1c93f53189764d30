"""The working-day clock: deadline arithmetic over real Chinese holiday arrangements, the
fallback for years without data, the seeded table, `load_holidays`, the actions and the cache."""

from __future__ import annotations

import datetime as dt
import importlib
from io import StringIO
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from lianqi.core import actions, calendar_store, workdays
from lianqi.core.actions import DayEntry
from lianqi.core.models import CalendarSource, CalendarYear, SpecialDay
from lianqi.core.roles import Role
from lianqi.core.workdays import Calendar, add_workdays, is_workday, previous_workday, workdays_between
from lianqi.testing.world import World

D = dt.date
UTC = dt.UTC
SHANGHAI = ZoneInfo("Asia/Shanghai")


def package_calendar() -> Calendar:
    """The calendar straight from the package, without the database."""
    holidays: set[dt.date] = set()
    extra: set[dt.date] = set()
    for year in workdays.package_years():
        for entry in workdays.package_days(year):
            (holidays if entry.kind == "holiday" else extra).add(entry.day)
    return Calendar.build(holidays=holidays, extra_workdays=extra, years_loaded=workdays.package_years())


CAL = package_calendar()
LAST_YEAR = workdays.package_years()[-1]
BEYOND = LAST_YEAR + 5  # a year the package does not know


# --- Deadline arithmetic ---------------------------------------------------------------------


class TestSpringFestival2025:
    """2025: 1/28–2/4 off; Sunday 1/26 and Saturday 2/8 worked."""

    def test_the_table_says_so(self) -> None:
        assert not any(is_workday(D(2025, 1, 28) + dt.timedelta(days=i), CAL) for i in range(8))
        assert is_workday(D(2025, 1, 26), CAL)  # a Sunday
        assert is_workday(D(2025, 2, 8), CAL)  # a Saturday

    def test_three_days_from_the_friday_before(self) -> None:
        # Sunday 1/26 (worked) = 1, Monday 1/27 = 2, the festival, Wednesday 2/5 = 3.
        assert add_workdays(D(2025, 1, 24), 3, CAL).day == D(2025, 2, 5)

    def test_the_worked_sunday_is_the_first_day(self) -> None:
        assert add_workdays(D(2025, 1, 24), 1, CAL).day == D(2025, 1, 26)

    def test_the_worked_saturday_after_counts(self) -> None:
        # From Monday 1/27: 2/5, 2/6, 2/7, then Saturday 2/8 is the 4th working day.
        assert add_workdays(D(2025, 1, 27), 4, CAL).day == D(2025, 2, 8)
        assert add_workdays(D(2025, 1, 27), 5, CAL).day == D(2025, 2, 10)

    def test_start_on_a_holiday_counts_from_the_next_working_day(self) -> None:
        assert add_workdays(D(2025, 1, 30), 1, CAL).day == D(2025, 2, 5)
        assert add_workdays(D(2025, 2, 1), 3, CAL).day == D(2025, 2, 7)

    def test_previous_workday_jumps_back_over_the_festival(self) -> None:
        assert previous_workday(D(2025, 2, 5), CAL).day == D(2025, 1, 27)

    def test_elapsed_working_days_across_the_festival(self) -> None:
        assert workdays_between(D(2025, 1, 24), D(2025, 2, 5), CAL).days == 3
        assert workdays_between(D(2025, 2, 5), D(2025, 1, 24), CAL).days == -3


class TestNationalDay2024:
    """2024: 10/1–10/7 off; Sunday 9/29 and Saturday 10/12 worked."""

    def test_the_worked_sunday_before(self) -> None:
        assert add_workdays(D(2024, 9, 27), 1, CAL).day == D(2024, 9, 29)
        assert add_workdays(D(2024, 9, 27), 2, CAL).day == D(2024, 9, 30)
        assert add_workdays(D(2024, 9, 27), 3, CAL).day == D(2024, 10, 8)

    def test_the_worked_saturday_after(self) -> None:
        assert is_workday(D(2024, 10, 12), CAL)
        assert add_workdays(D(2024, 10, 11), 1, CAL).day == D(2024, 10, 12)
        assert add_workdays(D(2024, 10, 3), 5, CAL).day == D(2024, 10, 12)

    def test_an_ordinary_saturday_is_not_worked(self) -> None:
        assert not is_workday(D(2024, 10, 19), CAL)

    def test_overdue_by_working_days(self) -> None:
        # Due Monday 9/30, still open on 10/8: only 10/8 has been a working day since.
        assert workdays_between(D(2024, 9, 30), D(2024, 10, 8), CAL).days == 1


def test_start_on_a_friday_skips_the_weekend() -> None:
    assert add_workdays(D(2024, 11, 15), 1, CAL).day == D(2024, 11, 18)
    assert add_workdays(D(2024, 11, 15), 3, CAL).day == D(2024, 11, 20)
    assert add_workdays(D(2024, 11, 16), 1, CAL).day == D(2024, 11, 18)  # from a Saturday


def test_zero_days_is_the_same_day_and_negative_is_refused() -> None:
    assert add_workdays(D(2025, 1, 30), 0, CAL).day == D(2025, 1, 30)
    with pytest.raises(ValueError):
        add_workdays(D(2025, 1, 30), -1, CAL)


def test_a_datetime_is_refused_where_a_date_is_expected() -> None:
    with pytest.raises(TypeError):
        add_workdays(dt.datetime(2025, 1, 30, 9, tzinfo=SHANGHAI), 1, CAL)  # type: ignore[arg-type]


class TestYearsWithoutData:
    def test_falls_back_to_monday_to_friday_and_says_so(self) -> None:
        jan1 = D(BEYOND, 1, 1)
        result = add_workdays(jan1, 5, CAL)
        expected = jan1
        for _ in range(5):
            expected += dt.timedelta(days=1)
            while expected.weekday() >= 5:
                expected += dt.timedelta(days=1)
        assert result.day == expected
        assert result.fallback_years == {BEYOND}
        assert result.uses_fallback

    def test_a_deadline_running_into_the_unknown_year_is_flagged(self) -> None:
        result = add_workdays(D(LAST_YEAR, 12, 24), 10, CAL)
        assert result.day.year == LAST_YEAR + 1
        assert result.fallback_years == {LAST_YEAR + 1}

    def test_a_loaded_span_is_not_flagged(self) -> None:
        result = add_workdays(D(2025, 1, 24), 3, CAL)
        assert result.fallback_years == frozenset()
        assert not workdays_between(D(2024, 1, 1), D(2025, 12, 31), CAL).uses_fallback

    def test_a_holiday_row_of_an_unloaded_year_is_not_used(self) -> None:
        # Half-entered data must not half-apply: only loaded years use the table.
        cal = Calendar.build(holidays={D(2031, 1, 1)}, years_loaded={2030})
        assert is_workday(D(2031, 1, 1), cal)
        assert workdays_between(D(2030, 12, 31), D(2031, 1, 1), cal).fallback_years == {2031}

    def test_previous_workday_flags_the_year_it_looked_at(self) -> None:
        day = D(BEYOND, 3, 10)
        expected = day - dt.timedelta(days=1)
        while expected.weekday() >= 5:
            expected -= dt.timedelta(days=1)
        result = previous_workday(day, CAL)
        assert result.day == expected
        assert result.fallback_years == {BEYOND}


class TestMoments:
    def test_a_moment_counts_from_its_shanghai_date(self) -> None:
        # 17:00 UTC on Saturday 9/28 is already Sunday 9/29 (a worked day) in Shanghai.
        moment = dt.datetime(2024, 9, 28, 17, 0, tzinfo=UTC)
        assert workdays.shanghai_date(moment) == D(2024, 9, 29)
        assert workdays.add_workdays_at(moment, 1, CAL).day == D(2024, 9, 30)
        assert workdays.is_workday_at(moment, CAL)

    def test_a_naive_moment_is_refused(self) -> None:
        with pytest.raises(ValueError):
            workdays.add_workdays_at(dt.datetime(2024, 9, 28, 17), 1, CAL)

    def test_overdue_after_the_end_of_the_due_day(self) -> None:
        due = D(2025, 2, 5)
        assert not workdays.is_overdue(due, dt.datetime(2025, 2, 5, 23, 59, tzinfo=SHANGHAI))
        assert workdays.is_overdue(due, dt.datetime(2025, 2, 5, 16, 30, tzinfo=UTC))  # 00:30 on 2/6
        assert workdays.end_of_day(due) == dt.datetime(2025, 2, 6, tzinfo=SHANGHAI)


dates = st.dates(min_value=D(2002, 1, 1), max_value=D(LAST_YEAR + 4, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=150))
def test_elapsed_days_agree_with_deadlines(start: dt.date, n: int) -> None:
    due = add_workdays(start, n, CAL)
    between = workdays_between(start, due.day, CAL)
    assert between.days == n
    assert between.fallback_years == due.fallback_years
    if n:
        # The due date is the first day on which n working days have passed, and it is worked.
        assert is_workday(due.day, CAL)
        assert workdays_between(start, due.day - dt.timedelta(days=1), CAL).days == n - 1


@settings(max_examples=200, deadline=None)
@given(a=dates, b=dates)
def test_elapsed_days_match_counting_one_by_one(a: dt.date, b: dt.date) -> None:
    low, high = sorted((a, b))
    counted = sum(is_workday(low + dt.timedelta(days=i), CAL) for i in range(1, (high - low).days + 1))
    assert workdays_between(low, high, CAL).days == counted
    assert workdays_between(a, b, CAL).days == -workdays_between(b, a, CAL).days


@settings(max_examples=200, deadline=None)
@given(day=dates)
def test_previous_and_next_workday_are_inverse_on_working_days(day: dt.date) -> None:
    before = previous_workday(day, CAL).day
    assert before < day and is_workday(before, CAL)
    assert workdays_between(before, day - dt.timedelta(days=1), CAL).days == 0
    if is_workday(day, CAL):
        assert workdays.next_workday(before, CAL).day == day


# --- The table in the database ---------------------------------------------------------------


def test_the_migration_loaded_every_year_the_package_knows(db: None) -> None:
    years = list(CalendarYear.objects.order_by("year").values_list("year", flat=True))
    assert years == list(workdays.package_years())
    assert len(years) == len(workdays.package_years())
    assert SpecialDay.objects.count() == len(chinese_calendar.holidays) + len(chinese_calendar.workdays)
    spring = SpecialDay.objects.get(day=D(2025, 1, 29))
    assert (spring.kind, spring.name, spring.source) == ("holiday", "春节", "package")
    assert SpecialDay.objects.get(day=D(2025, 1, 26)).kind == "workday"


def test_the_seeding_function_fills_an_empty_table(db: None) -> None:
    SpecialDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    migration = importlib.import_module("lianqi.core.migrations.0003_seed_calendar")
    migration.seed(django_apps, None)
    assert CalendarYear.objects.count() == len(workdays.package_years())
    assert SpecialDay.objects.filter(kind="workday").count() == len(chinese_calendar.workdays)


def test_the_stored_calendar_computes_like_the_package(db: None) -> None:
    cal = calendar_store.get_calendar()
    assert cal.holidays == CAL.holidays
    assert cal.extra_workdays == CAL.extra_workdays
    assert cal.years_loaded == CAL.years_loaded
    assert add_workdays(D(2025, 1, 24), 3, cal).day == D(2025, 2, 5)


class TestLoadHolidays:
    def run(self, *args: str) -> str:
        out = StringIO()
        call_command("load_holidays", *args, stdout=out)
        return out.getvalue()

    def test_is_idempotent(self, db: None) -> None:
        before = SpecialDay.objects.count()
        output = self.run()
        assert "0 years added, 0 days added, 0 updated, 0 removed" in output
        assert SpecialDay.objects.count() == before

    def test_restores_a_deleted_day_and_a_missing_year(self, db: None) -> None:
        SpecialDay.objects.filter(day=D(2024, 10, 1)).delete()
        CalendarYear.objects.filter(year=2024).delete()
        self.run("--year", "2024")
        assert SpecialDay.objects.get(day=D(2024, 10, 1)).name == "国庆节"
        assert CalendarYear.objects.filter(year=2024, loaded_from=CalendarSource.PACKAGE).exists()

    def test_keeps_manual_rows_unless_overwrite(self, db: None, world: World) -> None:
        admin = world.user(Role.ADMIN)
        actions.set_day(day=D(2025, 12, 31), kind="holiday", name="园区调休", actor=admin)
        actions.set_day(day=D(2025, 10, 1), kind="holiday", name="国庆（更正）", actor=admin)
        output = self.run("--year", "2025")
        assert "2 manual kept" in output
        assert SpecialDay.objects.get(day=D(2025, 12, 31)).source == CalendarSource.MANUAL
        assert SpecialDay.objects.get(day=D(2025, 10, 1)).name == "国庆（更正）"

        self.run("--year", "2025", "--overwrite")
        assert not SpecialDay.objects.filter(day=D(2025, 12, 31)).exists()
        corrected = SpecialDay.objects.get(day=D(2025, 10, 1))
        assert (corrected.name, corrected.source) == ("国庆节", CalendarSource.PACKAGE)
        # Another year's manual rows are untouched by a one-year overwrite.
        assert SpecialDay.objects.filter(day__year=2024).count() == len(
            [d for d in chinese_calendar.holidays if d.year == 2024]
        ) + len([d for d in chinese_calendar.workdays if d.year == 2024])

    def test_refuses_a_year_the_package_does_not_know(self, db: None) -> None:
        with pytest.raises(CommandError, match=str(BEYOND)):
            self.run("--year", str(BEYOND))


# --- Actions ---------------------------------------------------------------------------------


NEW_YEAR = LAST_YEAR + 1


def new_year_entries() -> list[DayEntry]:
    first = D(NEW_YEAR, 1, 1)
    saturday = first + dt.timedelta(days=(5 - first.weekday()) % 7)
    return [
        DayEntry(first, "holiday", "元旦"),
        DayEntry(first + dt.timedelta(days=1), "holiday", "元旦"),
        DayEntry(saturday + dt.timedelta(days=7), "workday", "元旦"),
    ]


class TestEnterYear:
    def test_enters_a_year_and_the_clock_stops_falling_back(self, world: World) -> None:
        admin = world.user(Role.ADMIN)
        before = add_workdays(D(NEW_YEAR - 1, 12, 31), 1, calendar_store.get_calendar())
        assert before.fallback_years == {NEW_YEAR}
        actions.enter_year(year=NEW_YEAR, days=new_year_entries(), actor=admin, note="国办发明电")
        after = add_workdays(D(NEW_YEAR - 1, 12, 31), 1, calendar_store.get_calendar())
        assert after.fallback_years == frozenset()
        # New Year's Day and the 2nd are now off: the first working day is the next Mon–Fri.
        expected = D(NEW_YEAR, 1, 3)
        while expected.weekday() >= 5:
            expected += dt.timedelta(days=1)
        assert after.day == expected
        year = CalendarYear.objects.get(year=NEW_YEAR)
        assert (year.loaded_from, year.changed_by, year.note) == (CalendarSource.MANUAL, admin, "国办发明电")
        assert SpecialDay.objects.filter(day__year=NEW_YEAR, changed_by=admin).count() == 3

    def test_a_bad_day_saves_nothing(self, world: World) -> None:
        days = [*new_year_entries(), DayEntry(D(NEW_YEAR + 1, 1, 1), "holiday", "元旦")]
        with pytest.raises(ValidationError) as caught:
            actions.enter_year(year=NEW_YEAR, days=days, actor=world.user(Role.ADMIN))
        assert str(NEW_YEAR + 1) in str(caught.value)
        assert not CalendarYear.objects.filter(year=NEW_YEAR).exists()
        assert not SpecialDay.objects.filter(day__year=NEW_YEAR).exists()

    def test_an_entered_year_is_replaced_only_on_request(self, world: World) -> None:
        admin = world.user(Role.ADMIN)
        with pytest.raises(ValidationError) as caught:
            actions.enter_year(year=2025, days=[DayEntry(D(2025, 1, 1), "holiday")], actor=admin)
        assert "year" in caught.value.message_dict
        assert SpecialDay.objects.filter(day__year=2025).count() > 1
        actions.enter_year(
            year=2025, days=[DayEntry(D(2025, 1, 1), "holiday", "元旦")], actor=admin, replace=True
        )
        assert list(SpecialDay.objects.filter(day__year=2025).values_list("day", flat=True)) == [
            D(2025, 1, 1)
        ]

    def test_only_the_administrator_edits(self, world: World) -> None:
        with pytest.raises(PermissionDenied):
            actions.enter_year(year=NEW_YEAR, days=new_year_entries(), actor=world.user(Role.SERVICE_OFFICE))
        with pytest.raises(PermissionDenied):
            actions.set_day(day=D(2025, 3, 3), kind="holiday", actor=world.user(Role.SERVICE_OFFICE))
        assert not SpecialDay.objects.filter(day=D(2025, 3, 3)).exists()


class TestSetAndRemoveDay:
    def test_a_swapped_workday_must_be_a_weekend_day(self, world: World) -> None:
        with pytest.raises(ValidationError, match="周一"):
            actions.set_day(day=D(2025, 3, 3), kind="workday", actor=world.user(Role.ADMIN))

    def test_a_year_not_entered_is_refused(self, world: World) -> None:
        with pytest.raises(ValidationError, match="尚未录入"):
            actions.set_day(day=D(BEYOND, 3, 3), kind="holiday", actor=world.user(Role.ADMIN))

    def test_removing_an_unknown_day_is_refused(self, world: World) -> None:
        with pytest.raises(ValidationError):
            actions.remove_day(day=D(2025, 3, 3), actor=world.user(Role.ADMIN))


class TestCache:
    def test_a_deadline_changes_right_after_a_day_is_added(self, world: World) -> None:
        admin = world.user(Role.ADMIN)
        friday = D(2025, 3, 7)
        assert add_workdays(friday, 1, calendar_store.get_calendar()).day == D(2025, 3, 10)
        actions.set_day(day=D(2025, 3, 10), kind="holiday", name="园区停电", actor=admin)
        assert add_workdays(friday, 1, calendar_store.get_calendar()).day == D(2025, 3, 11)
        actions.remove_day(day=D(2025, 3, 10), actor=admin)
        assert add_workdays(friday, 1, calendar_store.get_calendar()).day == D(2025, 3, 10)

    def test_a_change_made_elsewhere_is_seen(self, db: None) -> None:
        # Another worker process (or the command) changed the table: this process's copy is stale.
        first = calendar_store.get_calendar()
        assert calendar_store.get_calendar() is first  # cached while nothing changes
        SpecialDay.objects.create(day=D(2025, 3, 10), kind="holiday", source=CalendarSource.MANUAL)
        assert D(2025, 3, 10) in calendar_store.get_calendar().holidays


class TestYearsMissing:
    def test_the_current_year_and_from_november_the_next(self, world: World) -> None:
        mid = D(LAST_YEAR, 6, 1)
        assert calendar_store.years_missing(at=mid) == []
        assert calendar_store.years_missing(at=D(LAST_YEAR, 11, 1)) == [LAST_YEAR + 1]
        assert calendar_store.years_missing(at=D(LAST_YEAR + 1, 3, 1)) == [LAST_YEAR + 1]
        actions.enter_year(year=NEW_YEAR, days=new_year_entries(), actor=world.user(Role.ADMIN))
        assert calendar_store.years_missing(at=D(LAST_YEAR, 11, 1)) == []
        assert calendar_store.years_missing(at=D(LAST_YEAR + 1, 12, 1)) == [LAST_YEAR + 2]

    def test_warning_context_offers_the_page_only_to_the_office(self, world: World) -> None:
        at = D(LAST_YEAR, 11, 20)
        office = calendar_store.warning_context(at=at, user=world.user(Role.SERVICE_OFFICE))
        liaison = calendar_store.warning_context(at=at, user=world.user(Role.LIAISON))
        assert office["workdays_missing_years"] == [LAST_YEAR + 1]
        assert office["workdays_can_manage"] and not liaison["workdays_can_manage"]
