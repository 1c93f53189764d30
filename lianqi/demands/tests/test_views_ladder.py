"""The resolution ladder (诉求分级化解): each demand counted once on the highest rung it
reached, the escalated share split into assigned / roundtable / dispatch meeting, the same
scope and filters as the statistics page (another park's demands never count), and the link
from the statistics page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.demands import statistics as stats
from lianqi.demands.choices import DemandState, Venue
from lianqi.demands.models import Demand
from lianqi.testing.contracts import ListPageContract
from lianqi.testing.world import World

from .factories import handler, make_demand

pytestmark = pytest.mark.django_db

YEAR = 2025


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(YEAR, month, day, 10, 0, tzinfo=SHANGHAI)


def populate(world: World) -> None:
    """Ten demands of the home park in 2025: five solved on the spot, two only assigned, one
    taken to the roundtable, one to the dispatch meeting (after a roundtable), one cleared by
    expert consultation after a dispatch meeting; one waiting to be assigned; one of 2024 and
    one of the other park on the roundtable, which no figure of the page counts."""
    handler(world.home)
    if Demand.objects.exists():
        return
    on_spot: dict[str, Any] = {
        "state": DemandState.CLOSED,
        "solved_on_spot": True,
        "lead_department": None,
        "assigned_at": None,
        "due_on": None,
        "deadline_workdays": None,
    }
    for day in range(1, 6):
        make_demand(world, received_at=at(3, day), closed_at=at(3, day), **on_spot)
    make_demand(world, DemandState.CLOSED, received_at=at(4, 1), closed_at=at(4, 9))
    make_demand(world, DemandState.HANDLING, received_at=at(4, 2))
    make_demand(world, DemandState.CLOSED, received_at=at(4, 3), closed_at=at(4, 9), venue=Venue.ROUNDTABLE)
    make_demand(
        world, DemandState.CLOSED, received_at=at(4, 7), closed_at=at(4, 9), venue=Venue.DISPATCH_MEETING
    )
    make_demand(world, DemandState.ESCALATED, received_at=at(4, 8), venue=Venue.EXPERT, is_legacy=True)
    make_demand(world, DemandState.RECEIVED, received_at=at(5, 6))
    last_year = dt.datetime(YEAR - 1, 6, 3, 10, tzinfo=SHANGHAI)
    make_demand(world, DemandState.CLOSED, received_at=last_year, closed_at=last_year)
    other = world.other
    make_demand(
        world,
        DemandState.CLOSED,
        jurisdiction=other.park,
        enterprise=other.enterprise,
        liaison=other.liaison_staff,
        lead_department=other.department,
        venue=Venue.ROUNDTABLE,
        received_at=at(3, 3),
        closed_at=at(3, 4),
    )


class TestLadderPageContract(ListPageContract):
    allowed_roles = (Role.LEADER, Role.SERVICE_OFFICE, Role.ADMIN, Role.DEPARTMENT_HANDLER)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        populate(world)
        return reverse("demands:statistics_ladder")

    def data(self, world: World) -> dict[str, Any]:
        return {"year": str(YEAR)}

    def marker(self, world: World) -> str:
        # The page lists no names: the home park's two assigned demands (every role of the
        # park sees them, the handler as its department's) are its mark.
        return 'data-testid="count-assigned">2<'


def page(world: World, role: Role = Role.LEADER, *, other_park: bool = False, **query: str) -> str:
    client = Client()
    client.force_login(world.other_user(role) if other_park else world.user(role))
    response = client.get(reverse("demands:statistics_ladder"), {"year": str(YEAR), **query})
    assert response.status_code == 200
    return response.content.decode()


def cell(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}">')[1].split("<")[0].strip()


def test_each_demand_counts_once_on_the_highest_rung(world: World) -> None:
    populate(world)
    html = page(world)
    counts = {rung.key: int(cell(html, f"count-{rung.key}")) for rung in stats.RUNGS}
    assert counts == {
        "on_spot": 5,
        "assigned": 2,
        "roundtable": 1,
        "dispatch_meeting": 1,
        "expert": 1,
        "waiting": 1,
    }
    assert cell(html, "share-on_spot") == "45.5%"  # 5 of 11
    # The escalated share: 2 + 1 + 1 = 4 of 11 demands, split 50 / 25 / 25.
    assert "36.4%" in html.split('data-testid="escalated-share">')[1].split("</p>")[0]
    assert "（50.0%）" in html.split('data-testid="split-assigned">')[1].split("</li>")[0]
    assert "（25.0%）" in html.split('data-testid="split-roundtable">')[1].split("</li>")[0]


def test_the_ladder_follows_the_filters_and_the_scope(world: World) -> None:
    populate(world)
    result = stats.ladder(
        stats.filter_demands(
            Demand.objects.filter(jurisdiction=world.home.park),
            period=stats.Period(dt.date(YEAR, 4, 1), dt.date(YEAR, 4, 30)),
        )
    )
    assert (result.total, result.escalated, result.escalated_share) == (5, 4, Decimal("80.0"))
    # The other park's office sees its own roundtable demand only.
    other = page(world, Role.SERVICE_OFFICE, other_park=True)
    assert cell(other, "count-roundtable") == "1"
    assert cell(other, "count-on_spot") == "0"
    html = page(world, date_from=f"{YEAR}-04-01", date_to=f"{YEAR}-04-30")
    assert cell(html, "count-on_spot") == "0"
    assert cell(html, "count-assigned") == "2"


def test_the_statistics_page_links_to_the_ladder_with_its_filters(world: World) -> None:
    populate(world)
    client = Client()
    client.force_login(world.user(Role.LEADER))
    html = client.get(reverse("demands:statistics"), {"year": str(YEAR)}).content.decode()
    link = html.split('data-testid="ladder-link"')[0].rsplit("<a", 1)[1]
    assert reverse("demands:statistics_ladder") in link and f"year={YEAR}" in link
