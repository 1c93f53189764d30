"""A demand raised by a visit says so on its page and in the API, linking to the visit for those
who may open it (told through core's origin registry: demands never import visits)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from lianqi.core.roles import Role
from lianqi.demands.choices import DemandState
from lianqi.demands.models import Demand
from lianqi.demands.tests.factories import make_demand
from lianqi.testing.world import World

from .. import actions
from ..models import Campaign, Visit
from .factories import AT, NEEDY, handler, key, make_campaign


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def raised(world: World) -> tuple[Visit, Demand]:
    campaign = make_campaign(world, title="2025年助企纾困大走访")
    visit = actions.record_visit(
        enterprise=world.home.enterprise,
        actor=world.user(Role.LIAISON),
        idempotency_key=key(),
        campaign=campaign,
        answers=NEEDY,
        at=AT,
    )
    demand = visit.raised.select_related("demand").get(demand__category__name="融资困难").demand
    return visit, demand


def origin_html(html: str) -> str:
    return html.split('data-testid="demand-origin"')[1].split("</div></div>")[0]


def test_the_demand_page_links_back_to_the_visit_it_came_from(world: World) -> None:
    visit, demand = raised(world)
    for role in (Role.SERVICE_OFFICE, Role.LIAISON):
        html = client_for(world.user(role)).get(f"/demands/{demand.pk}/").content.decode()
        shown = origin_html(html)
        assert f'href="{visit.get_absolute_url()}"' in shown, role
        assert "2025年助企纾困大走访 · 2025-03-03" in shown and world.home.liaison_staff.name in shown


def test_a_handler_who_may_not_open_the_visit_sees_where_it_came_from_without_a_link(world: World) -> None:
    visit, demand = raised(world)
    user = handler(world.home)
    Demand.objects.filter(pk=demand.pk).update(lead_department=world.home.department)
    shown = origin_html(client_for(user).get(f"/demands/{demand.pk}/").content.decode())
    assert "2025年助企纾困大走访" in shown and "href" not in shown
    # Once the department takes part in the campaign, the visit is theirs to open.
    Campaign.objects.get(visits=visit).departments.add(world.home.department)
    shown = origin_html(client_for(user).get(f"/demands/{demand.pk}/").content.decode())
    assert f'href="{visit.get_absolute_url()}"' in shown


def test_a_demand_raised_otherwise_names_no_visit(world: World) -> None:
    demand = make_demand(world, DemandState.ASSIGNED)
    html = client_for(world.user(Role.SERVICE_OFFICE)).get(f"/demands/{demand.pk}/").content.decode()
    assert 'data-testid="demand-origin"' not in html
    api = client_for(world.user(Role.SERVICE_OFFICE)).get(f"/api/v1/demands/{demand.pk}/").json()
    assert api["origins"] == []


def test_the_api_names_the_visit_and_its_addresses(world: World) -> None:
    visit, demand = raised(world)
    body = client_for(world.user(Role.SERVICE_OFFICE)).get(f"/api/v1/demands/{demand.pk}/").json()
    [origin] = body["origins"]
    assert origin["kind"] == "visit" and origin["id"] == visit.pk
    assert origin["url"] == visit.get_absolute_url() and origin["api_url"] == f"/api/v1/visits/{visit.pk}/"
    assert "2025年助企纾困大走访" in origin["text"]
    user = handler(world.home)
    Demand.objects.filter(pk=demand.pk).update(lead_department=world.home.department)
    [hidden] = client_for(user).get(f"/api/v1/demands/{demand.pk}/").json()["origins"]
    assert hidden["id"] is None and hidden["url"] == "" and hidden["api_url"] == ""


def test_another_park_reaches_neither_the_demand_nor_its_origin(world: World) -> None:
    _visit, demand = raised(world)
    other = client_for(world.other_user(Role.SERVICE_OFFICE))
    assert other.get(f"/demands/{demand.pk}/").status_code == 404
    assert other.get(f"/api/v1/demands/{demand.pk}/").status_code == 404
