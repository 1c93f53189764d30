"""The policy picker's answer: policies that apply where the user works, with their level."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import STAFF_ROLES, Role
from lianqi.policies.models import Policy
from lianqi.testing.contracts import ListPageContract
from lianqi.testing.world import World

from .test_actions import make_policy


class TestPolicyPickerContract(ListPageContract):
    allowed_roles = tuple(STAFF_ROLES)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        if not Policy.objects.exists():  # each park's policy, once per test
            two_policies(world)
        return reverse("policies:pick")

    def data(self, world: World) -> dict[str, Any]:
        return {"q": "研发"}

    def marker(self, world: World) -> str:
        return "高新区研发奖励"


def two_policies(world: World) -> Policy:
    make_policy(world, code="XT-OTHER", title="经开区研发奖励", jurisdiction=world.other.park)
    return make_policy(world, code="XT-HOME", title="高新区研发奖励")


def test_policy_found_by_title_with_level(world: World) -> None:
    mine = two_policies(world)
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    rows = json.loads(client.get(reverse("policies:pick"), {"q": "研发"}).content)
    assert rows == [{"value": str(mine.pk), "text": "高新区研发奖励（园区级）"}]
