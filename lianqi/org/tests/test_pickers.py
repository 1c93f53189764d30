"""The staff and department pickers' answers: scoped to the user's subtree, searched by name,
never carrying a phone."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import STAFF_ROLES, Role
from lianqi.org.models import Department, Staff
from lianqi.testing.contracts import ListPageContract
from lianqi.testing.world import World


def answer(user: Any, url: str, **params: str) -> list[dict[str, str]]:
    client = Client()
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return json.loads(response.content)


class TestStaffPickerContract(ListPageContract):
    allowed_roles = tuple(STAFF_ROLES)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("org:pick_staff")

    def marker(self, world: World) -> str:
        return world.home.liaison_staff.name


class TestDepartmentPickerContract(ListPageContract):
    allowed_roles = tuple(STAFF_ROLES)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("org:pick_departments")

    def data(self, world: World) -> dict[str, Any]:
        return {"q": "经济"}

    def marker(self, world: World) -> str:
        # Both parks have a 经济发展局: the label's jurisdiction tells them apart.
        return f"{world.home.department.name}（{world.home.park.name}）"


def test_staff_found_by_name_without_phone(world: World) -> None:
    Staff.objects.create(jurisdiction=world.home.park, name="王建国", phone="13912345678")
    Staff.objects.create(jurisdiction=world.other.park, name="王建军", phone="13987654321")
    rows = answer(world.user(Role.SERVICE_OFFICE), reverse("org:pick_staff"), q="王建")
    assert [row["text"] for row in rows] == ["王建国（湘潭高新区）"]
    assert "5678" not in json.dumps(rows)
    # The other park's office finds its own namesake only.
    rows = answer(world.other_user(Role.SERVICE_OFFICE), reverse("org:pick_staff"), q="王建")
    assert [row["text"] for row in rows] == ["王建军（湘潭经开区）"]


def test_unbound_leaves_out_staff_with_a_login(world: World) -> None:
    free = Staff.objects.create(jurisdiction=world.home.park, name="赵自由")
    rows = answer(world.user(Role.ADMIN), reverse("org:pick_staff"), unbound="1")
    assert [row["value"] for row in rows] == [str(free.pk)]  # the liaison has a login


def test_answer_is_capped_at_twenty(world: World) -> None:
    Staff.objects.bulk_create(
        Staff(jurisdiction=world.home.park, jurisdiction_path=world.home.park.path, name=f"李{n:02d}")
        for n in range(30)
    )
    assert len(answer(world.user(Role.LEADER), reverse("org:pick_staff"), q="李")) == 20


def test_departments_scoped(world: World) -> None:
    Department.objects.create(jurisdiction=world.home.park, name="高新区商务局")
    Department.objects.create(jurisdiction=world.other.park, name="经开区商务局")
    rows = answer(world.user(Role.SERVICE_OFFICE), reverse("org:pick_departments"), q="商务")
    assert [row["text"] for row in rows] == ["高新区商务局（湘潭高新区）"]
