"""The demands' section of the enterprise's file (一企一档): registered for the staff roles that
see demands, scoped like every page (another park's enterprise answers 404), listing only the
demands the user may see, open ones first, with the enterprise's answers on closed ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lianqi.core import registry
from lianqi.core.roles import Role
from lianqi.testing.contracts import ObjectPageContract
from lianqi.testing.world import World, make_enterprise

from ..choices import DemandState, RatingSource, Satisfaction
from ..models import Demand
from ..permissions import STAFF_READERS
from .factories import AT, handler, make_demand

pytestmark = pytest.mark.django_db


def section_url(world: World) -> str:
    return reverse("demands:enterprise_section", args=[world.home.enterprise.pk])


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


class TestSectionContract(ObjectPageContract):
    allowed_roles = STAFF_READERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        handler(world.home)
        return section_url(world)


def test_the_section_is_registered_for_the_staff_who_see_demands() -> None:
    section = next(s for s in registry.enterprise_sections() if s.key == "demands")
    assert section.url_name == "demands:enterprise_section"
    assert set(section.roles) == set(STAFF_READERS)
    assert Role.ENTERPRISE not in section.roles and Role.FINANCE not in section.roles


def test_the_address_is_the_enterprises_own(world: World) -> None:
    assert section_url(world) == f"/demands/enterprise/{world.home.enterprise.pk}/section/"


def _rows(world: World) -> tuple[Demand, Demand, Demand]:
    closed = make_demand(
        world,
        DemandState.CLOSED,
        received_at=AT - dt.timedelta(days=10),
        contacted=True,
        solved=False,
        satisfaction=Satisfaction.BASICALLY,
        rating_source=RatingSource.ENTERPRISE,
    )
    open_one = make_demand(world, DemandState.ASSIGNED, received_at=AT - dt.timedelta(days=20))
    other = make_enterprise(world.home.park, "另一家示范企业")
    elsewhere = make_demand(world, DemandState.RECEIVED, enterprise=other, description="另一家企业的诉求")
    return closed, open_one, elsewhere


def test_rows_show_the_enterprises_demands_open_first(world: World) -> None:
    closed, open_one, elsewhere = _rows(world)
    page = client_for(world.user(Role.SERVICE_OFFICE)).get(section_url(world)).content.decode()
    assert f'data-pk="{open_one.pk}"' in page and f'data-pk="{closed.pk}"' in page
    assert f'data-pk="{elsewhere.pk}"' not in page
    # Open before closed, though the closed one came in later.
    assert page.index(f'data-pk="{open_one.pk}"') < page.index(f'data-pk="{closed.pk}"')
    assert reverse("demands:detail", args=[open_one.pk]) in page
    assert "融资困难" in page and "已交办" in page and "2025-03-10" in page
    # The enterprise's three answers on the closed one.
    assert "基本满意" in page


def test_only_the_demands_the_user_may_see_are_listed(world: World) -> None:
    closed, open_one, _elsewhere = _rows(world)
    liaison_page = client_for(world.user(Role.LIAISON)).get(section_url(world)).content.decode()
    assert f'data-pk="{open_one.pk}"' in liaison_page and f'data-pk="{closed.pk}"' in liaison_page
    # A handler sees the demands its department leads: the assigned one, not the other one
    # (closed without a lead department).
    Demand.objects.filter(pk=closed.pk).update(lead_department=None)
    handler_page = client_for(handler(world.home)).get(section_url(world)).content.decode()
    assert f'data-pk="{open_one.pk}"' in handler_page
    assert f'data-pk="{closed.pk}"' not in handler_page


def test_another_parks_user_gets_404(world: World) -> None:
    _rows(world)
    for role in (Role.SERVICE_OFFICE, Role.LEADER, Role.LIAISON):
        response = client_for(world.other_user(role)).get(section_url(world))
        assert response.status_code == 404, role
