"""The enterprise picker's answer and the register's liaison filter, now a picker."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import STAFF_ROLES, Role
from lianqi.org.models import Staff
from lianqi.testing.contracts import ListPageContract
from lianqi.testing.world import World


class TestEnterprisePickerContract(ListPageContract):
    allowed_roles = tuple(STAFF_ROLES)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("enterprises:pick")

    def data(self, world: World) -> dict[str, Any]:
        return {"q": "示范"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_found_by_credit_code_and_name(world: World) -> None:
    client = _client(world.user(Role.SERVICE_OFFICE))
    enterprise = world.home.enterprise
    by_code = json.loads(client.get(reverse("enterprises:pick"), {"q": enterprise.credit_code[-6:]}).content)
    assert by_code == [
        {"value": str(enterprise.pk), "text": f"{enterprise.name}（{enterprise.credit_code}）"}
    ]
    # The other park's enterprise shares the words 示范电缆 but never shows here.
    by_name = json.loads(client.get(reverse("enterprises:pick"), {"q": "示范电缆"}).content)
    assert [row["value"] for row in by_name] == [str(enterprise.pk)]


def test_register_liaison_filter_renders_only_the_chosen(world: World) -> None:
    Staff.objects.create(jurisdiction=world.home.park, name="孙不选")
    client = _client(world.user(Role.SERVICE_OFFICE))
    chosen = world.home.liaison_staff
    html = client.get(reverse("enterprises:list"), {"liaison": chosen.pk}).content.decode()
    assert f'data-picker="{reverse("org:pick_staff")}"' in html
    assert f'<option value="{chosen.pk}" selected>{chosen.name}</option>' in html
    assert "孙不选" not in html
    # Another park's cadre in the address is no option (the filter itself reports it).
    html = client.get(reverse("enterprises:list"), {"liaison": world.other.liaison_staff.pk}).content.decode()
    assert world.other.liaison_staff.name not in html
