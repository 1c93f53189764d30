"""The statistics' stored day cells: after any steps, the figures added up from the cells are
the figures counted from the demands, for every grouping; every step marks its day stale and
the statistics page refreshes exactly its own scope before reading; a change to the holiday
table marks the counted days again; the sweep drains what is left."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lianqi.core import actions as actions_workdays
from lianqi.core.models import SpecialDay
from lianqi.core.roles import Role
from lianqi.core.scoping import scope_queryset
from lianqi.demands import actions, permissions, sweeps
from lianqi.demands import statistics as stats
from lianqi.demands.choices import Channel, DemandState, Outcome, Satisfaction
from lianqi.demands.models import Demand, StatisticsCell, StatisticsStaleDay
from lianqi.org.models import Department
from lianqi.testing.world import World

from .factories import category, handler, make_demand
from .test_stats import YEAR, demands, t  # noqa: F401 (`demands`: a fixture)

pytestmark = pytest.mark.django_db


def live(user: Any, group_by: str | None, at: dt.datetime) -> stats.Statistics:
    queryset = stats.filter_demands(permissions.visible(user), period=YEAR)
    return stats.compute_statistics(queryset, group_by=group_by, at=at)


def from_cells(user: Any, group_by: str | None, at: dt.datetime) -> stats.Statistics:
    stats.refresh(at=at)
    cells = stats.filter_by_day(scope_queryset(StatisticsCell.objects.all(), user), period=YEAR)
    return stats.statistics_from_cells(cells, period=YEAR, group_by=group_by, at=at)


def figures_of(row: stats.Row) -> dict[str, tuple[Any, ...]]:
    return {k: (f.value, f.numerator, f.denominator) for k, f in row.figures.items()}


def table(result: stats.Statistics) -> dict[Any, Any]:
    """The total, every row and every month, each figure as (value, numerator, denominator)."""
    return {
        "total": figures_of(result.total),
        "rows": {row.key: figures_of(row) for row in result.rows},
        "months": {row.key: figures_of(row) for row in result.months},
    }


def assert_same_everywhere(world: World) -> None:
    now = timezone.now()
    for role_user in (world.user(Role.LEADER), world.other_user(Role.LEADER)):
        for group_by in (None, *stats.GROUPS):
            expected, got = live(role_user, group_by, now), from_cells(role_user, group_by, now)
            assert table(got) == table(expected), group_by


@pytest.mark.usefixtures("demands")
def test_cells_give_the_figures_counted_from_the_demands(world: World) -> None:
    assert_same_everywhere(world)
    headline = from_cells(world.user(Role.LEADER), None, timezone.now()).total.figures
    assert headline["received"].value == 5
    assert headline["send_back_rate"].numerator == 1


def test_department_cells_credit_the_department_that_acted(world: World) -> None:
    from .test_stats import event

    first = world.home.department
    second = Department.objects.create(jurisdiction=world.home.park, name="自然资源局")
    demand = make_demand(world, DemandState.ASSIGNED, received_at=t(3, 3), lead_department=second)
    event(demand, "assign", t(3, 3), department=first)
    event(demand, "send_back", t(3, 4), department=first, to_state=DemandState.SENT_BACK)
    event(demand, "reroute", t(3, 5), department=second)
    rows = {
        row.label: row.figures
        for row in from_cells(world.user(Role.LEADER), "department", timezone.now()).rows
    }
    assert rows[first.name]["send_back_rate"].value == Decimal("100.0")
    assert rows[first.name]["received"].value == 0
    assert rows[second.name]["received"].value == 1
    assert_same_everywhere(world)


def test_every_step_marks_its_day_and_the_cells_follow(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    department_user = handler(world.home)
    demand = actions.submit_demand(
        enterprise=world.home.enterprise,
        category=category(),
        channel=Channel.LIAISON,
        description="用电报装慢",
        actor=office,
        at=t(3, 3, 9),
    )
    assert StatisticsStaleDay.objects.filter(received_on=dt.date(2025, 3, 3)).count() == 1
    assert_same_everywhere(world)
    assert not StatisticsStaleDay.objects.exists()
    steps = [
        lambda d: actions.assign_demand(
            demand=d,
            actor=office,
            expected_version=d.version,
            department=world.home.department,
            workdays_limit=5,
            at=t(3, 3, 10),
        ),
        lambda d: actions.sign_demand(
            demand=d, actor=department_user, expected_version=d.version, at=t(3, 5)
        ),
        lambda d: actions.reply_demand(
            demand=d,
            actor=department_user,
            expected_version=d.version,
            outcome=Outcome.SOLVED,
            note="已协调供电公司",
            at=t(3, 7),
        ),
        lambda d: actions.rate_demand(
            demand=d,
            actor=None,
            enterprise=world.home.enterprise,
            expected_version=d.version,
            contacted=True,
            solved=False,
            satisfaction=Satisfaction.UNSATISFIED,
            at=t(3, 10),
        ),
    ]
    for step in steps:
        demand = step(demand)
        # A step in April on a demand received in March marks March 3rd, not the step's day.
        assert list(StatisticsStaleDay.objects.values_list("received_on", flat=True)) == [dt.date(2025, 3, 3)]
        assert_same_everywhere(world)
    headline = from_cells(world.user(Role.LEADER), None, timezone.now()).total.figures
    assert headline["redo_rate"].value == Decimal("100.0")
    assert headline["signed_on_time_rate"].numerator == 0


def test_the_page_refreshes_only_its_own_scope(world: World, client: Any) -> None:
    make_demand(world, DemandState.RECEIVED, received_at=t(3, 3))
    other = world.other
    make_demand(
        world,
        DemandState.RECEIVED,
        jurisdiction=other.park,
        enterprise=other.enterprise,
        liaison=other.liaison_staff,
        received_at=t(3, 4),
    )
    client.force_login(world.user(Role.LEADER))
    response = client.get(reverse("demands:statistics"), {"year": "2025"})
    assert response.status_code == 200
    # The home park's day is counted and its mark gone; the other park's waits for its own
    # readers or the sweep.
    assert list(StatisticsStaleDay.objects.values_list("jurisdiction_id", flat=True)) == [other.park.pk]
    assert StatisticsCell.objects.filter(jurisdiction=world.home.park, dimension="total").get().received == 1
    assert sweeps.statistics_days(at=timezone.now()) == 1
    assert not StatisticsStaleDay.objects.exists()


def test_a_department_or_category_filter_counts_from_the_demands(world: World, client: Any) -> None:
    """One department's figures need the events of that department only, which the cells do
    not keep apart from the lead department's; they are counted from the demands."""
    make_demand(world, DemandState.ASSIGNED, received_at=t(3, 3))
    client.force_login(world.user(Role.LEADER))
    response = client.get(
        reverse("api:demand-statistics"), {"year": "2025", "department": world.home.department.pk}
    )
    assert response.json()["total"]["figures"][0]["value"] == 1
    # Nothing was refreshed for it: the mark stays for the whole-park readers.
    assert StatisticsStaleDay.objects.count() == 1


def test_a_holiday_change_marks_the_counted_days(world: World) -> None:
    # Received Thu 3 Apr, closed Mon 7 Apr; Fri 4 Apr is Qingming: 1 working day.
    make_demand(world, DemandState.CLOSED, received_at=t(4, 3), closed_at=t(4, 7))
    leader = world.user(Role.LEADER)
    average = from_cells(leader, None, timezone.now()).total.figures["average_workdays_to_close"]
    assert average.value == Decimal("1.0")
    # An administrator corrects the table: Qingming was a working day after all.
    admin = world.user(Role.ADMIN)
    actions_workdays.remove_day(day=dt.date(2025, 4, 4), actor=admin)
    assert StatisticsStaleDay.objects.filter(received_on=dt.date(2025, 4, 3)).exists()
    average = from_cells(leader, None, timezone.now()).total.figures["average_workdays_to_close"]
    assert average.value == Decimal("2.0")
    assert not SpecialDay.objects.filter(day=dt.date(2025, 4, 4)).exists()


def test_a_mark_written_during_a_refresh_survives_it(world: World) -> None:
    make_demand(world, DemandState.RECEIVED, received_at=t(3, 3))
    marks = StatisticsStaleDay.objects.all()
    newest = marks.get().pk
    make_demand(world, DemandState.RECEIVED, received_at=t(3, 3))  # a step while refreshing
    # What a refresh that started before the second step would do: take the marks it saw.
    assert stats.refresh(marks=marks.filter(pk__lte=newest)) == 1
    assert marks.count() == 1
    assert StatisticsCell.objects.get(dimension="total").received == 2
    stats.refresh()
    assert not marks.exists()


@pytest.mark.usefixtures("demands")
def test_rebuilding_every_day(world: World) -> None:
    StatisticsCell.objects.all().delete()
    StatisticsStaleDay.objects.all().delete()
    days = Demand.objects.values("jurisdiction_id", "received_at__date").distinct().count()
    assert stats.mark_all_stale() >= days - 1  # dates in UTC may split one Shanghai day
    assert_same_everywhere(world)


def test_a_page_read_with_nothing_stale_writes_nothing(world: World, client: Any) -> None:
    make_demand(world, DemandState.RECEIVED, received_at=t(3, 3))
    stats.refresh()
    client.force_login(world.user(Role.LEADER))
    before = list(StatisticsCell.objects.values_list("pk", flat=True))
    assert client.get(reverse("demands:statistics"), {"year": "2025"}).status_code == 200
    assert list(StatisticsCell.objects.values_list("pk", flat=True)) == before
    assert Demand.objects.count() == 1


def test_the_rebuild_command_recounts_every_day(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    make_demand(world, DemandState.RECEIVED, received_at=t(3, 3))
    make_demand(world, DemandState.RECEIVED, received_at=t(3, 4))
    stats.refresh()
    StatisticsCell.objects.filter(received_on=dt.date(2025, 3, 4)).delete()  # drifted
    out = StringIO()
    call_command("rebuild_statistics", stdout=out)
    assert "recounted 2 day(s)" in out.getvalue()
    assert StatisticsCell.objects.filter(dimension="total").count() == 2
