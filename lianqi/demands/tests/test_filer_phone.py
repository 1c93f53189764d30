"""The phone a demand's filer left, on the demand's page, follows the one rule of
`core.privacy`: the office and leaders, the enterprise's liaison, the department handling it and
the enterprise itself see it whole (and can tap it); the rule is asked with the ties the demand
gives, so a handler whose department leads or co-handles the demand is not masked out."""

from __future__ import annotations

import pytest
from django.test import Client

from lianqi.accounts.models import User
from lianqi.core.privacy import Holder, PhonePolicy
from lianqi.core.roles import Role
from lianqi.org.models import Department
from lianqi.testing.world import World

from ..choices import DemandState
from ..permissions import filer_phone, filer_ties
from .factories import actor_for, handler, make_demand

PHONE = "13912345678"


def page(user: User, demand_pk: int) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/demands/{demand_pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "role", [Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN, Role.LIAISON, Role.DEPARTMENT_HANDLER]
)
def test_everyone_with_a_tie_sees_the_filer_whole(world: World, role: str) -> None:
    demand = make_demand(world, DemandState.ASSIGNED, contact_name="张经理", contact_phone=PHONE)
    assert f'href="tel:{PHONE}"' in page(actor_for(world, role), demand.pk)


def test_a_co_handling_department_sees_the_filer_whole(world: World) -> None:
    other = Department.objects.create(jurisdiction=world.home.park, name="财政局")
    demand = make_demand(world, DemandState.ASSIGNED, contact_phone=PHONE)
    demand.co_departments.add(other)
    assert f'href="tel:{PHONE}"' in page(handler(world.home, other), demand.pk)


def test_without_a_tie_the_filer_is_masked(world: World) -> None:
    # A handler of a department that has nothing to do with the demand (not a page they can
    # open: the rule is asked directly).
    demand = make_demand(world, DemandState.ASSIGNED, contact_phone=PHONE)
    stranger = handler(world.home, Department.objects.create(jurisdiction=world.home.park, name="自然资源局"))
    assert filer_ties(stranger, demand) == ()
    assert filer_phone(stranger, demand) == "139****5678"
    assert not PhonePolicy(stranger, Holder.CONTACT).whole
