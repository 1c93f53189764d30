"""The reads behind the demand lists: the indexed return-visit cutoff agrees with the per-row
count, tab conditions agree with `overdue`/`due_soon`, all tab counts come from one query,
a department's demands include the ones it co-handles, and legacy clearing figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.org.models import Department
from lianqi.testing.world import World

from .. import queries
from ..choices import DemandState
from ..models import Demand
from .factories import handler, make_demand

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, hour, tzinfo=SHANGHAI)


def test_return_visit_cutoff_agrees_with_the_per_row_count_across_spring_festival(world: World) -> None:
    # Replies at every day (morning and late evening) around the 2025 Spring Festival holiday
    # and its swapped working weekends; judged at every day of the same span.
    start = dt.date(2025, 1, 18)
    for offset in range(30):
        day = start + dt.timedelta(days=offset)
        for hour in (9, 23):
            make_demand(world, DemandState.REPLIED, replied_at=at(day.year, day.month, day.day, hour))
    replied = Demand.objects.filter(state=DemandState.REPLIED)
    for offset in range(5, 40):
        moment = at(2025, 1, 18) + dt.timedelta(days=offset)
        for window in (1, 5):
            slow = {
                d.pk
                for d in queries.awaiting_return_visit(
                    at=moment, rating_window_workdays=window, queryset=replied
                )
            }
            fast = set(
                replied.filter(
                    queries.awaiting_return_visit_condition(at=moment, rating_window_workdays=window)
                ).values_list("pk", flat=True)
            )
            assert fast == slow, (moment, window)


def test_overdue_and_due_soon_conditions_agree_with_the_existing_reads(world: World) -> None:
    moment = at(2025, 3, 7)  # a Friday: due soon reaches to Monday
    for due in range(1, 15):
        for state in (DemandState.ASSIGNED, DemandState.HANDLING, DemandState.SENT_BACK, DemandState.REPLIED):
            make_demand(world, state, due_on=dt.date(2025, 3, due))
    every = Demand.objects.all()
    assert set(every.filter(queries.overdue_condition(at=moment))) == set(queries.overdue(at=moment))
    assert set(every.filter(queries.due_soon_condition(at=moment))) == set(queries.due_soon(at=moment))
    soon = {d.due_on for d in every.filter(queries.due_soon_condition(at=moment))}
    assert dt.date(2025, 3, 10) in soon  # Monday, the next working day
    assert dt.date(2025, 3, 11) not in soon
    assert dt.date(2025, 3, 6) not in soon  # yesterday: overdue instead


def test_all_tab_counts_come_from_one_query(world: World, django_assert_num_queries: Any) -> None:
    moment = at(2025, 3, 7)
    make_demand(world, DemandState.RECEIVED)
    make_demand(world, DemandState.SENT_BACK, due_on=dt.date(2025, 3, 20))
    make_demand(world, DemandState.HANDLING, due_on=dt.date(2025, 3, 6))
    make_demand(world, DemandState.CLOSED)
    tabs = queries.board_tabs(at=moment)
    with django_assert_num_queries(1):
        counts = queries.tab_counts(Demand.objects.all(), tabs)
    assert counts["received"] == 1
    assert counts["sent_back"] == 1
    assert counts["overdue"] == 1
    assert sum(counts.values()) == 3


def test_department_demands_include_co_handled_and_stay_in_scope(world: World) -> None:
    from .. import permissions

    user = handler(world.home)
    science = Department.objects.create(jurisdiction=world.home.park, name="科技局")
    led = make_demand(world, DemandState.ASSIGNED)
    co = make_demand(world, DemandState.SIGNED, lead_department=science)
    co.co_departments.add(world.home.department)
    make_demand(world, DemandState.SIGNED, lead_department=science)
    parts = queries.department_demands(world.home.department.pk, user=user)
    found = set(parts.all)
    assert set(parts.led) == {led}
    assert set(parts.co_only) == {co}
    assert found == {led, co}
    # It is a subset of what the handler may see at all.
    assert found <= set(permissions.visible(user))
    # A user whose scope does not hold the department gets nothing, whatever the id says.
    stranger = handler(world.other)
    assert not queries.department_demands(world.home.department.pk, user=stranger).all.exists()
    assert not queries.department_demands(987654, user=user).all.exists()


def test_inbox_counts_count_the_whole_history_on_the_all_tab(world: World) -> None:
    user = handler(world.home)
    make_demand(world, DemandState.ASSIGNED, due_on=dt.date(2025, 3, 6))
    make_demand(world, DemandState.CLOSED)
    tabs = queries.inbox_tabs(at=at(2025, 3, 7), department_id=world.home.department.pk)
    parts = queries.department_demands(world.home.department.pk, user=user)
    counts = queries.inbox_counts([parts.led, parts.co_only], tabs)
    assert counts == {"assigned": 1, "handling": 0, "due_soon": 0, "overdue": 1, "replied": 0, "all": 2}


def test_legacy_progress_overall_and_by_department(world: World) -> None:
    science = Department.objects.create(jurisdiction=world.home.park, name="科技局")
    make_demand(world, DemandState.CLOSED, is_legacy=True)
    make_demand(world, DemandState.ESCALATED, is_legacy=True)
    make_demand(world, DemandState.ESCALATED, is_legacy=True, lead_department=science)
    make_demand(world, DemandState.RECEIVED, is_legacy=True)  # not yet assigned
    make_demand(world, DemandState.CLOSED)
    progress = queries.legacy_progress(Demand.objects.all())
    assert (progress["total"], progress["cleared"], progress["open"], progress["percent"]) == (4, 1, 3, 25.0)
    by_name = {str(row["name"]): row for row in progress["departments"]}
    assert by_name["经济发展局"]["percent"] == 50.0
    assert by_name["科技局"]["open"] == 1
    assert by_name["未交办"]["total"] == 1


def test_legacy_progress_scoped_to_the_leaders_park(world: World) -> None:
    from .. import permissions

    make_demand(world, DemandState.CLOSED, is_legacy=True)
    make_demand(
        world,
        DemandState.ESCALATED,
        is_legacy=True,
        jurisdiction=world.other.park,
        enterprise=world.other.enterprise,
    )
    progress = queries.legacy_progress(permissions.visible(world.user(Role.LEADER)))
    assert (progress["total"], progress["percent"]) == (1, 100.0)
