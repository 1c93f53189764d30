"""The liaison picker's answer: the office's own cadres in post, with their load, no phone."""

from __future__ import annotations

import json

from django.urls import reverse

from lianqi.core.roles import OFFICE_ROLES, Role
from lianqi.testing.contracts import ListPageContract
from lianqi.testing.world import World

from .helpers import staff
from .test_views import client_for


class TestLiaisonPickerContract(ListPageContract):
    allowed_roles = tuple(OFFICE_ROLES)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("liaisons:pick")

    def marker(self, world: World) -> str:
        return world.home.liaison_staff.name


def test_found_by_name_or_department_with_load_and_no_phone(world: World) -> None:
    staff(world.home, "周在岗")
    staff(world.home, "周离岗", is_active=False)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    by_name = json.loads(client.get(reverse("liaisons:pick"), {"q": "周"}).content)
    assert [row["text"].split("（")[0] for row in by_name] == ["周在岗"]
    by_department = client.get(reverse("liaisons:pick"), {"q": "经济发展"}).content.decode()
    liaison = world.home.liaison_staff
    assert f"{liaison.name}（1 家）" in by_department  # the world's enterprise is theirs
    assert liaison.phone[-4:] not in by_department
