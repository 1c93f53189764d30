"""The escalation's owner (协调责任人) is chosen in a searchable picker: the escalation form
renders only the chosen cadre, and the picker's answer lists the cadres who may own that
demand's coordination — never another park's — while a demand the user may not see answers
404."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.org.models import Staff
from lianqi.testing.world import World

from ..choices import DemandAction
from .factories import make_demand


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _names(client: Client, demand_pk: int, q: str = "") -> list[str]:
    response = client.get(reverse("demands:pick_owner"), {"demand": str(demand_pk), "q": q})
    assert response.status_code == 200
    return [row["text"] for row in json.loads(response.content)]


def test_the_owner_picker_offers_the_park_s_cadres_and_no_other_park_s(world: World) -> None:
    Staff.objects.create(jurisdiction=world.home.park, name="欧阳协调", department=world.home.department)
    Staff.objects.create(jurisdiction=world.other.park, name="欧阳邻园", department=world.other.department)
    demand = make_demand(world)
    office = _client(world.user(Role.SERVICE_OFFICE))

    found = _names(office, demand.pk, "欧阳")
    assert found == [f"欧阳协调（{world.home.department.name}）"]
    everyone = " ".join(_names(office, demand.pk))
    assert world.home.liaison_staff.name in everyone
    assert world.other.liaison_staff.name not in everyone


def test_another_park_s_office_gets_404_for_the_owner_picker_of_a_demand_it_cannot_see(world: World) -> None:
    demand = make_demand(world)
    other = _client(world.other_user(Role.SERVICE_OFFICE))
    assert other.get(reverse("demands:pick_owner"), {"demand": demand.pk}).status_code == 404
    assert other.get(reverse("demands:pick_owner"), {"demand": "x"}).status_code == 404


def test_the_escalation_form_renders_the_owner_as_a_picker_not_every_cadre(world: World) -> None:
    for number in range(60):
        Staff.objects.create(jurisdiction=world.home.park, name=f"干部{number:02d}")
    demand = make_demand(world)
    office = _client(world.user(Role.SERVICE_OFFICE))
    html = office.get(reverse("demands:act", args=[demand.pk, DemandAction.ESCALATE])).content.decode()
    assert 'data-picker="' + reverse("demands:pick_owner") + f"?demand={demand.pk}" in html
    assert "干部00" not in html
