"""This wing's API: one shared contract per endpoint, then its steps (409 when stale or not
allowed, 400 for bad input)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World

from ..choices import LandState
from ..permissions import READERS
from .factories import make_land


class TestListContract(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        make_land(world)
        return reverse("api:land-list")


class TestDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:land-detail", args=[make_land(world).pk])


class TestStepContract(ApiObjectContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE, Role.LEADER)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        # A fresh item each time: every allowed role approves one of its own.
        return reverse("api:land-step", args=[make_land(world, LandState.SUBMITTED).pk, "approve"])

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": 1}


def _post(world: World, role: str, url: str, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(world.user(role))
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_step_answers_the_moved_item(world: World) -> None:
    row = make_land(world, LandState.APPROVED)
    url = reverse("api:land-step", args=[row.pk, "close"])
    response = _post(world, Role.SERVICE_OFFICE, url, {"expected_version": 1, "outcome": "已整改"})
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["version"], body["outcome"]) == ("closed", 2, "已整改")
    assert [e["action"] for e in body["events"]] == ["close"]


def test_a_refused_or_stale_step_is_a_conflict(world: World) -> None:
    row = make_land(world, LandState.DRAFT)
    url = reverse("api:land-step", args=[row.pk, "approve"])
    refused = _post(world, Role.SERVICE_OFFICE, url, {"expected_version": 1})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
    stale = _post(
        world,
        Role.SERVICE_OFFICE,
        reverse("api:land-step", args=[row.pk, "submit"]),
        {"expected_version": 7},
    )
    assert stale.status_code == 409


def test_bad_input_is_a_400_naming_the_field(world: World) -> None:
    row = make_land(world, LandState.SUBMITTED)
    url = reverse("api:land-step", args=[row.pk, "return"])
    response = _post(world, Role.LEADER, url, {"expected_version": 1})
    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]


def test_an_unknown_step_is_a_404(world: World) -> None:
    row = make_land(world)
    response = _post(world, Role.SERVICE_OFFICE, reverse("api:land-step", args=[row.pk, "explode"]), {})
    assert response.status_code == 404
