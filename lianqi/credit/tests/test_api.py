"""The credit API: each endpoint's shared contract (anonymous, a role that may not, the other
park, a role that may), then the steps and the classes."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World

from ..choices import RecordKind, RepairState
from ..permissions import READERS
from .factories import make_record


class TestRecordListContract(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        make_record(world)
        return reverse("api:credit-record-list")


class TestRecordDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:credit-record-detail", args=[make_record(world).pk])


class TestRecordStepContract(ApiObjectContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE, Role.LEADER)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse(
            "api:credit-record-step", args=[make_record(world, RepairState.MATERIALS).pk, "approve"]
        )

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": 1, "reviewed_on": "2025-02-20"}


class TestClassListContract(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:credit-class-list")


class TestClassDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:credit-class-detail", args=[world.home.enterprise.pk])


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def _post(client: Client, url: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_a_step_answers_the_moved_record(world: World) -> None:
    row = make_record(world, RepairState.REVIEWED)
    url = reverse("api:credit-record-step", args=[row.pk, "repair"])
    response = _post(
        _client(world, Role.SERVICE_OFFICE), url, {"expected_version": 1, "repaired_on": "2025-03-01"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["version"], body["repaired_on"]) == ("repaired", 2, "2025-03-01")
    assert [e["action"] for e in body["events"]] == ["repair"]


def test_a_step_out_of_order_is_a_conflict_and_a_bad_date_names_its_field(world: World) -> None:
    row = make_record(world, RepairState.APPLIED)
    client = _client(world, Role.SERVICE_OFFICE)
    early = _post(
        client,
        reverse("api:credit-record-step", args=[row.pk, "repair"]),
        {"expected_version": 1, "repaired_on": "2025-03-01"},
    )
    assert early.status_code == 409 and early.json()["error"]["code"] == "conflict"
    materials = make_record(world, RepairState.MATERIALS)
    url = reverse("api:credit-record-step", args=[materials.pk, "approve"])
    before = _post(client, url, {"expected_version": 1, "reviewed_on": "2025-01-01"})
    assert before.status_code == 400 and "reviewed_on" in before.json()["error"]["fields"]
    missing = _post(client, url, {"expected_version": 1})
    assert missing.status_code == 400 and "reviewed_on" in missing.json()["error"]["fields"]


def test_the_class_comes_with_its_reasons_and_cannot_be_typed(world: World) -> None:
    make_record(world, kind=RecordKind.BLACKLIST)
    client = _client(world, Role.SERVICE_OFFICE)
    url = reverse("api:credit-class-detail", args=[world.home.enterprise.pk])
    body = client.get(url).json()
    assert (body["credit_class"], body["score"], body["vetoed"]) == ("D", 30, True)
    assert [r["label"] for r in body["reasons"]] == ["基础分", "未修复的失信名单记录"]
    for method in ("put", "patch"):
        assert _post(client, url, {"credit_class": "A"}, method).status_code == 405
    assert (
        _post(
            client,
            reverse("api:credit-class-list"),
            {"enterprise": world.home.enterprise.pk, "credit_class": "A"},
        ).status_code
        == 405
    )
    assert client.get(url).json()["credit_class"] == "D"


def test_an_enterprise_sees_only_its_own_class(world: World) -> None:
    body = _client(world, Role.ENTERPRISE).get(reverse("api:credit-class-list")).json()
    assert [row["enterprise"] for row in body["results"]] == [world.home.enterprise.pk]
