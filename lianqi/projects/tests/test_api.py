"""The API of key projects: the shared contracts (the other park gets 404 for reads and writes),
a stage step, and a report refused with the field named and kept to the fen when accepted."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World

from ..choices import ProjectStage
from ..permissions import EDITORS, READERS
from .factories import make_project
from .test_views import home_meeting, home_project


class TestProjectListContract(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        home_project(world)
        return reverse("api:project-list")


class TestProjectDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:project-detail", args=[home_project(world).pk])


class TestProjectStepContract(ApiObjectContract):
    method = "post"
    ok_statuses = (200, 409)
    allowed_roles = EDITORS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:project-step", args=[home_project(world).pk, "obtain_land"])

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": home_project(world).version, "on": "2025-02-01"}


class TestProjectReportContract(ApiObjectContract):
    method = "post"
    ok_statuses = (201, 400)
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:project-report", args=[home_project(world).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {
            "expected_version": home_project(world).version,
            "period": timezone.localdate().replace(day=1).isoformat(),
            "invested": "10.01",
            "progress": "场平",
        }


class TestMeetingDetailContract(ApiObjectContract):
    allowed_roles = EDITORS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("api:project-meeting-detail", args=[home_meeting(world).pk])


def post(user: Any, url: str, data: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_step_moves_the_project_and_a_stale_one_is_a_409(world: World) -> None:
    row = make_project(world)
    url = reverse("api:project-step", args=[row.pk, "obtain_land"])
    leader = world.user(Role.LEADER)
    response = post(leader, url, {"expected_version": 1, "on": "2025-02-01"})
    assert response.status_code == 200 and response.json()["state"] == ProjectStage.LAND
    assert post(leader, url, {"expected_version": 1, "on": "2025-02-01"}).status_code == 409


def test_a_report_is_refused_with_the_field_named_and_kept_to_the_fen(world: World) -> None:
    row = make_project(world, total_investment=Decimal("100.00"), year_plan=Decimal("50.00"))
    url = reverse("api:project-report", args=[row.pk])
    period = timezone.localdate().replace(day=1).isoformat()
    owner = world.user(Role.ENTERPRISE)
    base = {"expected_version": 1, "period": period, "progress": "桩基"}
    too_much = post(owner, url, {**base, "invested": "100.01"})
    assert too_much.status_code == 400 and "invested" in json.dumps(too_much.json())
    accepted = post(owner, url, {**base, "invested": "99.99"})
    assert accepted.status_code == 201 and Decimal(accepted.json()["year_to_date"]) == Decimal("99.99")
