"""A meeting's decision on a demand escalated to it (提级协调) is the escalation's decision: the
demand is re-assigned or closed through the demands' own action, its timeline names the meeting,
the minutes carry the decision, and it leaves the meeting's waiting list. A roundtable series
(亲商优商企业接待日圆桌会) takes the demands escalated to the roundtable the same way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.demands.choices import DemandState, Outcome, Venue
from lianqi.demands.models import Demand
from lianqi.demands.tests.factories import make_demand
from lianqi.testing.world import World

from ..actions import meetings
from ..choices import Cadence, SeriesKind
from ..models import Meeting, MeetingSeries


def meeting_of(world: World, kind: str = SeriesKind.DISPATCH) -> Meeting:
    series = MeetingSeries.objects.create(
        jurisdiction=world.home.park, name=f"{kind}会议", cadence=Cadence.WEEKLY, kind=kind
    )
    return Meeting.objects.create(series=series, jurisdiction=world.home.park, held_on=dt.date(2025, 6, 9))


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def decide(client: Client, meeting: Meeting, demand: Demand, **fields: Any) -> Any:
    prefix = f"escalated-{demand.pk}"
    data = {f"{prefix}-expected_version": demand.version, f"{prefix}-note": "协调供电公司本周内接电"}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return client.post(reverse("projects:escalated_decision", args=[meeting.pk, demand.pk]), data)


def page(client: Client, meeting: Meeting) -> str:
    return client.get(reverse("projects:meeting", args=[meeting.pk])).content.decode()


def test_closing_an_escalated_demand_at_the_meeting(world: World) -> None:
    demand = make_demand(
        world, DemandState.ESCALATED, venue=Venue.DISPATCH_MEETING, description="厂区道路未通"
    )
    meeting = meeting_of(world)
    client = client_for(world.user(Role.LEADER))
    assert "厂区道路未通" in page(client, meeting)

    response = decide(client, meeting, demand, outcome=Outcome.SOLVED)
    assert response.status_code == 302
    demand.refresh_from_db()
    assert (demand.state, demand.outcome) == (DemandState.CLOSED, Outcome.SOLVED)
    last = demand.events.order_by("-pk").first()
    assert last is not None and "dispatch会议（2025-06-09）决定：协调供电公司本周内接电" in last.note
    meeting.refresh_from_db()
    assert "协调供电公司本周内接电" in meeting.minutes and demand.enterprise.name in meeting.minutes
    shown = page(client, meeting)
    assert "厂区道路未通" not in shown  # no longer waiting
    assert "协调供电公司本周内接电" in shown  # in the minutes


def test_reassigning_an_escalated_demand_gives_it_a_new_deadline(world: World) -> None:
    demand = make_demand(world, DemandState.ESCALATED, venue=Venue.DISPATCH_MEETING)
    meeting = meeting_of(world)
    response = decide(
        client_for(world.user(Role.SERVICE_OFFICE)),
        meeting,
        demand,
        department=world.home.department.pk,
        workdays=5,
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert (demand.state, demand.lead_department) == (DemandState.ASSIGNED, world.home.department)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "outcome"),  # neither a department nor an outcome
        ({"outcome": Outcome.SOLVED, "note": ""}, "note"),
        ({"department": "__home__"}, "workdays"),  # a department without its deadline
    ],
)
def test_an_incomplete_decision_is_refused_with_the_field_named(
    world: World, fields: dict[str, Any], field: str
) -> None:
    demand = make_demand(world, DemandState.ESCALATED, venue=Venue.DISPATCH_MEETING)
    meeting = meeting_of(world)
    if fields.get("department") == "__home__":
        fields["department"] = world.home.department.pk
    response = decide(client_for(world.user(Role.LEADER)), meeting, demand, **fields)
    assert response.status_code == 200
    assert f'data-error-for="{field}"' in response.content.decode()
    demand.refresh_from_db()
    assert demand.state == DemandState.ESCALATED
    meeting.refresh_from_db()
    assert meeting.minutes == ""


def test_a_roundtable_takes_the_demands_escalated_to_the_roundtable(world: World) -> None:
    roundtable = make_demand(world, DemandState.ESCALATED, venue=Venue.ROUNDTABLE, description="员工子女入学")
    dispatch = make_demand(
        world, DemandState.ESCALATED, venue=Venue.DISPATCH_MEETING, description="厂区道路未通"
    )
    table, weekly = meeting_of(world, SeriesKind.ROUNDTABLE), meeting_of(world)
    client = client_for(world.user(Role.LEADER))
    shown = page(client, table)
    assert "员工子女入学" in shown and "厂区道路未通" not in shown
    assert "厂区道路未通" in page(client, weekly) and "员工子女入学" not in page(client, weekly)
    # A demand waiting on the other kind of meeting cannot be decided here.
    assert decide(client, table, dispatch, outcome=Outcome.SOLVED).status_code == 404
    assert decide(client, table, roundtable, outcome=Outcome.EXPLAINED).status_code == 302
    roundtable.refresh_from_db()
    assert roundtable.state == DemandState.CLOSED


def test_another_park_cannot_decide(world: World) -> None:
    demand = make_demand(world, DemandState.ESCALATED, venue=Venue.DISPATCH_MEETING)
    meeting = meeting_of(world)
    response = decide(client_for(world.other_user(Role.LEADER)), meeting, demand, outcome=Outcome.SOLVED)
    assert response.status_code == 404
    denied = decide(client_for(world.user(Role.ENTERPRISE)), meeting, demand, outcome=Outcome.SOLVED)
    assert denied.status_code in (403, 404)
    demand.refresh_from_db()
    assert demand.state == DemandState.ESCALATED


def test_a_roundtable_series_is_set_up_from_the_page(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(
        reverse("projects:series_list"),
        {"name": "亲商优商企业接待日", "cadence": "monthly", "kind": "roundtable"},
    )
    assert response.status_code == 302
    assert MeetingSeries.objects.get(name="亲商优商企业接待日").kind == SeriesKind.ROUNDTABLE
    refused = client.post(
        reverse("projects:series_list"), {"name": "x", "cadence": "monthly", "kind": "party"}
    )
    assert 'data-error-for="kind"' in refused.content.decode()


def test_the_action_refuses_a_demand_not_waiting_on_the_meeting(world: World) -> None:
    from django.core.exceptions import ValidationError

    demand = make_demand(world, DemandState.ESCALATED, venue=Venue.EXPERT)
    with pytest.raises(ValidationError):
        meetings.decide_escalated(
            meeting=meeting_of(world),
            actor=world.user(Role.LEADER),
            demand=demand,
            expected_version=demand.version,
            note="x",
            outcome=Outcome.SOLVED,
            at=timezone.now(),
        )


def test_the_meetings_api_says_which_venue_a_series_serves(world: World) -> None:
    """An API client tells a roundtable's meetings from the dispatch meetings."""
    table, weekly = meeting_of(world, SeriesKind.ROUNDTABLE), meeting_of(world)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    kinds = {
        pk: client.get(reverse("api:project-meeting-detail", args=[pk])).json()["series_kind"]
        for pk in (table.pk, weekly.pk)
    }
    assert kinds == {table.pk: "roundtable", weekly.pk: "dispatch"}
