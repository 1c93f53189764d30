"""The demand actions against a real database: intake, the working-day clock, send back,
redo, escalation, outcomes, stale writes, the append-only history and scoping."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lianqi.core import calendar_store, workdays
from lianqi.core.models import CalendarYear
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed
from lianqi.org.models import Department, Staff

from .. import actions, permissions, queries
from ..choices import Channel, DemandState, Outcome, Satisfaction, Venue
from ..models import Demand, DemandEvent
from .factories import category, handler

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, hour, tzinfo=SHANGHAI)


def submit(world: Any, when: dt.datetime | None = None) -> Demand:
    return actions.submit_demand(
        enterprise=world.home.enterprise,
        category=category(),
        channel=Channel.LIAISON,
        description="流动资金贷款需求",
        actor=world.user(Role.LIAISON),
        at=when or at(2025, 1, 20),
    )


def assign(
    world: Any, demand: Demand, when: dt.datetime, n: int = 3, department: Department | None = None
) -> Demand:
    return actions.assign_demand(
        demand=demand,
        actor=world.user(Role.SERVICE_OFFICE),
        expected_version=demand.version,
        department=department or world.home.department,
        workdays_limit=n,
        at=when,
    )


def test_intake_snapshots_the_liaison(world: Any) -> None:
    demand = submit(world)
    successor = Staff.objects.create(jurisdiction=world.home.park, name="接任干部")
    world.home.enterprise.liaison = successor
    world.home.enterprise.save()
    demand.refresh_from_db()
    assert demand.liaison == world.home.liaison_staff
    assert demand.state == DemandState.RECEIVED
    assert demand.events.get().action == "submit"


def test_enterprise_files_through_its_code_without_account(world: Any) -> None:
    demand = actions.submit_demand(
        enterprise=world.home.enterprise,
        category=category("用地需求"),
        channel=Channel.ENTERPRISE_CODE,
        description="扩建用地",
        contact_name="王经理",
        contact_phone="13800000001",
    )
    event = demand.events.get()
    assert event.actor is None and event.by_enterprise
    assert demand.contact_phone == "13800000001"


def test_filing_through_the_code_needs_the_confirmed_phone(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        actions.submit_demand(
            enterprise=world.home.enterprise,
            category=category("用地需求"),
            channel=Channel.ENTERPRISE_CODE,
            description="扩建用地",
        )
    assert "contact_phone" in error.value.message_dict
    assert not Demand.objects.exists()


def test_blank_description_is_refused_and_nothing_stored(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        actions.submit_demand(
            enterprise=world.home.enterprise, category=category(), channel=Channel.HOTLINE, description="  "
        )
    assert "description" in error.value.message_dict
    assert not Demand.objects.exists()


def test_assignment_counts_working_days_across_spring_festival_2025(world: Any) -> None:
    demand = assign(world, submit(world), at(2025, 1, 24, 16))
    assert demand.due_on == dt.date(2025, 2, 5)
    assert demand.fallback_years == []
    event = demand.events.last()
    assert event is not None and event.action == "assign"
    assert event.due_on == dt.date(2025, 2, 5)


def test_assignment_into_a_year_without_data_records_the_fallback(world: Any) -> None:
    last = CalendarYear.objects.order_by("-year").values_list("year", flat=True).first()
    assert last is not None
    demand = assign(world, submit(world, at(last, 12, 28)), at(last, 12, 28), n=5)
    assert demand.fallback_years == [last + 1]
    assert demand.due_on is not None and demand.due_on.year == last + 1


def test_send_back_and_reroute_keep_the_original_deadline(world: Any) -> None:
    demand = assign(world, submit(world), at(2025, 3, 3), n=5)
    due = demand.due_on
    handler_user = handler(world.home)
    demand = actions.sign_demand(
        demand=demand, actor=handler_user, expected_version=demand.version, at=at(2025, 3, 4)
    )
    demand = actions.send_back_demand(
        demand=demand,
        actor=handler_user,
        expected_version=demand.version,
        reason="属税务事项",
        at=at(2025, 3, 5),
    )
    tax = Department.objects.create(jurisdiction=world.home.park, name="税务局")
    demand = actions.reroute_demand(
        demand=demand,
        actor=world.user(Role.SERVICE_OFFICE),
        expected_version=demand.version,
        department=tax,
        at=at(2025, 3, 7),
    )
    assert demand.state == DemandState.ASSIGNED
    assert demand.lead_department == tax
    assert demand.due_on == due == dt.date(2025, 3, 10)


def _replied(world: Any) -> Demand:
    demand = assign(world, submit(world), at(2025, 3, 3), n=5)
    handler_user = handler(world.home)
    demand = actions.sign_demand(
        demand=demand, actor=handler_user, expected_version=demand.version, at=at(2025, 3, 4)
    )
    return actions.reply_demand(
        demand=demand,
        actor=handler_user,
        expected_version=demand.version,
        outcome=Outcome.SOLVED,
        note="已协调银行放款",
        at=at(2025, 3, 6),
    )


def test_unsatisfied_rating_sends_it_to_redo_with_a_new_deadline(world: Any) -> None:
    demand = _replied(world)
    demand = actions.rate_demand(
        demand=demand,
        actor=world.user(Role.ENTERPRISE),
        expected_version=demand.version,
        contacted=True,
        solved=True,
        satisfaction=Satisfaction.UNSATISFIED,
        at=at(2025, 3, 14),
    )
    assert demand.state == DemandState.ASSIGNED
    assert demand.redo_count == 1
    assert demand.outcome == ""
    assert demand.due_on == workdays.add_workdays(dt.date(2025, 3, 14), 5, calendar_store.get_calendar()).day
    assert demand.due_on == dt.date(2025, 3, 21)


def test_satisfied_rating_closes_with_the_departments_outcome(world: Any) -> None:
    demand = _replied(world)
    demand = actions.rate_demand(
        demand=demand,
        actor=world.user(Role.ENTERPRISE),
        expected_version=demand.version,
        contacted=True,
        solved=True,
        satisfaction=Satisfaction.SATISFIED,
        at=at(2025, 3, 7),
    )
    assert (demand.state, demand.outcome, demand.rating_source) == (
        DemandState.CLOSED,
        Outcome.SOLVED,
        "enterprise",
    )


def test_return_visit_is_offered_after_the_rating_window(world: Any) -> None:
    demand = _replied(world)  # replied on Thursday 2025-03-06
    assert queries.awaiting_return_visit(at=at(2025, 3, 10), rating_window_workdays=3) == []
    assert queries.awaiting_return_visit(at=at(2025, 3, 11), rating_window_workdays=3) == [demand]


def _escalated(world: Any, venue: Venue) -> Demand:
    demand = submit(world)
    return actions.escalate_demand(
        demand=demand,
        actor=world.user(Role.LEADER),
        expected_version=demand.version,
        venue=venue,
        meeting="历史用地遗留问题协商会",
        meeting_on=dt.date(2025, 3, 20),
        owner=world.home.liaison_staff,
        at=at(2025, 3, 3),
    )


def test_escalation_decision_reassigns_with_a_new_deadline(world: Any) -> None:
    demand = _escalated(world, Venue.EXPERT)
    assert demand.is_legacy
    assert list(queries.legacy_problems()) == [demand]
    demand = actions.decide_escalation(
        demand=demand,
        actor=world.user(Role.LEADER),
        expected_version=demand.version,
        note="自然资源部门牵头办理",
        department=world.home.department,
        workdays_limit=10,
        at=at(2025, 3, 20),
    )
    assert demand.state == DemandState.ASSIGNED
    assert demand.lead_department == world.home.department
    assert demand.due_on == dt.date(2025, 4, 3)


def test_escalation_decision_closes_with_an_outcome(world: Any) -> None:
    demand = _escalated(world, Venue.DISPATCH_MEETING)
    assert not demand.is_legacy
    demand = actions.decide_escalation(
        demand=demand,
        actor=world.user(Role.SERVICE_OFFICE),
        expected_version=demand.version,
        note="政策暂不支持，已解释",
        outcome=Outcome.EXPLAINED,
        at=at(2025, 3, 20),
    )
    assert (demand.state, demand.outcome) == (DemandState.CLOSED, Outcome.EXPLAINED)
    assert demand.closed_at == at(2025, 3, 20)


def test_closed_duplicate_does_not_count_as_solved(world: Any) -> None:
    first = submit(world)
    actions.solve_demand_on_spot(
        demand=first, actor=world.user(Role.LIAISON), expected_version=first.version, note="当场解答"
    )
    second = submit(world)
    actions.close_demand(
        demand=second,
        actor=world.user(Role.SERVICE_OFFICE),
        expected_version=second.version,
        outcome=Outcome.DUPLICATE,
        note="与前一条重复",
    )
    submit(world)
    counts = queries.resolution_counts()
    assert (counts["total"], counts["closed"], counts["open"]) == (3, 2, 1)
    assert counts[Outcome.SOLVED] == 1
    assert counts[Outcome.DUPLICATE] == 1


def test_stale_version_is_refused_naming_who_changed_it(world: Any) -> None:
    demand = submit(world)
    seen = demand.version
    assign(world, demand, at(2025, 3, 3))
    with pytest.raises(StaleVersion) as stale:
        actions.close_demand(
            demand=demand,
            actor=world.user(Role.SERVICE_OFFICE),
            expected_version=seen,
            outcome=Outcome.DUPLICATE,
            note="重复",
        )
    assert stale.value.last_actor == world.user(Role.SERVICE_OFFICE)
    assert stale.value.state == DemandState.ASSIGNED
    assert str(world.user(Role.SERVICE_OFFICE)) in stale.value.message
    demand.refresh_from_db()
    assert (demand.state, demand.outcome) == (DemandState.ASSIGNED, "")


def test_events_cannot_be_edited_or_deleted(world: Any) -> None:
    event = submit(world).events.get()
    event.note = "改写"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    with pytest.raises(RuntimeError):
        DemandEvent.objects.filter(pk=event.pk).update(note="改写")
    with pytest.raises(RuntimeError):
        DemandEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.note == "流动资金贷款需求"


def test_handler_of_another_department_is_refused(world: Any) -> None:
    demand = assign(world, submit(world), at(2025, 3, 3))
    other_department = Department.objects.create(jurisdiction=world.home.park, name="人社局")
    outsider = handler(world.home, other_department)
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.sign_demand(demand=demand, actor=outsider, expected_version=demand.version)
    assert refused.value.allowed == []
    assert demand not in permissions.visible(outsider)


def test_user_of_the_other_park_is_refused(world: Any) -> None:
    demand = submit(world)
    for role in (Role.SERVICE_OFFICE, Role.LEADER):
        with pytest.raises(TransitionNotAllowed):
            actions.assign_demand(
                demand=demand,
                actor=world.other_user(role),
                expected_version=demand.version,
                department=world.home.department,
                workdays_limit=3,
            )
        assert not permissions.visible(world.other_user(role)).exists()
    assert permissions.visible(world.user(Role.SERVICE_OFFICE)).get() == demand
    assert permissions.visible(world.user(Role.ENTERPRISE)).get() == demand
    assert not permissions.visible(world.other_user(Role.ENTERPRISE)).exists()


def test_department_of_the_other_park_cannot_receive_the_demand(world: Any) -> None:
    demand = submit(world)
    with pytest.raises(ValidationError) as error:
        assign(world, demand, at(2025, 3, 3), department=world.other.department)
    assert "department" in error.value.message_dict
    demand.refresh_from_db()
    assert demand.state == DemandState.RECEIVED and demand.version == 1


def test_overdue_and_due_soon(world: Any) -> None:
    demand = assign(world, submit(world), at(2025, 3, 3), n=5)  # due Monday 2025-03-10
    assert list(queries.due_soon(at=at(2025, 3, 6))) == []
    # On Friday the next working day is the deadline: one working day before it.
    assert list(queries.due_soon(at=at(2025, 3, 7))) == [demand]
    assert list(queries.due_soon(at=at(2025, 3, 10, 23))) == [demand]
    assert list(queries.overdue(at=at(2025, 3, 10, 23))) == []
    assert list(queries.overdue(at=at(2025, 3, 11, 0))) == [demand]
    assert list(queries.due_soon(at=at(2025, 3, 11, 0))) == []


def test_supervision_and_reminder_write_events_without_moving_the_state(world: Any) -> None:
    demand = assign(world, submit(world), at(2025, 3, 3))
    demand = actions.supervise_demand(
        demand=demand, actor=world.user(Role.LEADER), expected_version=demand.version, note="本周内办结"
    )
    demand = actions.remind_demand(
        demand=demand, actor=world.user(Role.SERVICE_OFFICE), expected_version=demand.version
    )
    assert demand.state == DemandState.ASSIGNED
    assert [e.action for e in demand.events.all()] == ["submit", "assign", "supervise", "remind"]


def test_extension_moves_the_deadline_by_the_approved_working_days(world: Any) -> None:
    demand = assign(world, submit(world), at(2025, 3, 3), n=5)  # due 2025-03-10
    handler_user = handler(world.home)
    demand = actions.sign_demand(demand=demand, actor=handler_user, expected_version=demand.version)
    demand = actions.request_extension(
        demand=demand,
        actor=handler_user,
        expected_version=demand.version,
        workdays_limit=2,
        reason="需省厅批复",
    )
    demand = actions.decide_extension(
        demand=demand, actor=world.user(Role.SERVICE_OFFICE), expected_version=demand.version, approve=True
    )
    assert demand.due_on == dt.date(2025, 3, 12)
    assert demand.extension_workdays is None


@pytest.mark.parametrize(
    ("outcome", "solved", "satisfaction", "redo"),
    [
        (Outcome.SOLVED, False, Satisfaction.BASICALLY, True),  # claimed solved, it is not
        (Outcome.SOLVED, True, Satisfaction.UNSATISFIED, True),
        (Outcome.EXPLAINED, False, Satisfaction.BASICALLY, False),  # honestly explained
        (Outcome.EXPLAINED, False, Satisfaction.UNSATISFIED, True),
        (Outcome.SOLVED, True, Satisfaction.SATISFIED, False),
    ],
)
def test_which_ratings_send_a_demand_back_to_redo(
    world: Any, outcome: Outcome, solved: bool, satisfaction: Satisfaction, redo: bool
) -> None:
    from .factories import make_demand

    demand = make_demand(world, DemandState.REPLIED, outcome=outcome)
    rated = actions.rate_demand(
        demand=demand,
        actor=None,
        enterprise=world.home.enterprise,
        expected_version=demand.version,
        contacted=True,
        solved=solved,
        satisfaction=satisfaction,
    )
    assert (rated.state == DemandState.ASSIGNED) == redo
    assert rated.redo_count == (1 if redo else 0)
    if not redo:
        assert rated.state == DemandState.CLOSED and rated.outcome == outcome
