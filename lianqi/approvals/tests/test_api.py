"""Approvals' API: one shared contract per endpoint, then the steps (409 when stale or not
allowed, 400 naming the field for bad input) and what a chart answers."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World

from ..choices import ItemState
from ..models import Chart
from ..permissions import MANAGERS, READERS
from .factories import PROJECT, make_chart, make_run, make_run_item, run_item


def _chart(world: World) -> Chart:
    return Chart.objects.filter(jurisdiction=world.home.park).first() or make_chart(world)


class TestRunListContract(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def marker(self, world: World) -> str:
        return PROJECT

    def url(self, world: World) -> str:
        make_run(world)
        return reverse("api:approval-runs-list")


class TestRunDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:approval-runs-detail", args=[make_run(world).pk])


class TestChartListContract(ApiListContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def marker(self, world: World) -> str:
        return "企业投资项目备案"

    def url(self, world: World) -> str:
        _chart(world)
        return reverse("api:approval-charts-list")


class TestChartDetailContract(ApiObjectContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("api:approval-charts-detail", args=[_chart(world).pk])


class TestItemDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:approval-items-detail", args=[make_run_item(world).pk])


class TestStepContract(ApiObjectContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse(
            "api:approval-items-step", args=[make_run_item(world, ItemState.SUBMITTED).pk, "accept"]
        )

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": 1, "on": timezone.localdate().isoformat()}


def _post(world: World, role: str, url: str, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(world.user(role))
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_chart_answers_its_critical_path(world: World) -> None:
    chart = make_chart(world)
    client = Client()
    client.force_login(world.user(Role.LEADER))
    body = client.get(reverse("api:approval-charts-detail", args=[chart.pk])).json()
    names = {i["id"]: i["name"] for i in body["items"]}
    assert [names[k] for k in body["schedule"]["critical_path"]] == [
        "企业投资项目备案",
        "用地预审与选址意见书",
        "建筑工程施工许可证",
    ]
    assert (body["schedule"]["length"], body["schedule"]["serial_length"]) == (11, 14)


def test_a_step_answers_the_moved_item(world: World) -> None:
    row = make_run_item(world, ItemState.SUBMITTED)
    material = row.item.materials.get()
    url = reverse("api:approval-items-step", args=[row.pk, "accept_lenient"])
    body = {"expected_version": 1, "on": "2025-03-05", "missing": [material.pk], "promise_on": "2025-03-12"}
    response = _post(world, Role.SERVICE_OFFICE, url, body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["state"], data["lenient"], data["missing"], data["version"]) == (
        "accepted",
        True,
        [material.pk],
        2,
    )


def test_a_refused_or_stale_step_is_a_conflict(world: World) -> None:
    row = make_run_item(world)
    refused = _post(
        world,
        Role.SERVICE_OFFICE,
        reverse("api:approval-items-step", args=[row.pk, "approve"]),
        {"expected_version": 1, "on": "2025-03-05"},
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
    stale = _post(
        world,
        Role.SERVICE_OFFICE,
        reverse("api:approval-items-step", args=[row.pk, "submit"]),
        {"expected_version": 7, "on": "2025-03-05"},
    )
    assert stale.status_code == 409


def test_an_item_before_its_prerequisites_is_a_400_naming_the_day(world: World) -> None:
    run = make_run(world)
    row = run_item(run, "建筑工程施工许可证")
    url = reverse("api:approval-items-step", args=[row.pk, "submit"])
    response = _post(world, Role.SERVICE_OFFICE, url, {"expected_version": 1, "on": "2025-03-05"})
    assert response.status_code == 400
    assert "on" in response.json()["error"]["fields"]
    missing_day = _post(world, Role.SERVICE_OFFICE, url, {"expected_version": 1})
    assert missing_day.status_code == 400 and "on" in missing_day.json()["error"]["fields"]
