"""The attraction pipeline's API: the leads of the caller's park (another park's lead is a 404
for reads and steps), a step with its amount kept to the fen, a step refused with the field
named, and the year's funnel figures, which are the page's."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World

from ..choices import LeadStage
from ..models import Lead
from ..permissions import MANAGERS
from .test_leads import NAME, make_lead


def home_lead(world: World) -> Lead:
    return Lead.objects.filter(jurisdiction=world.home.park).first() or make_lead(world, LeadStage.TALKS)


class TestLeadListContract(ApiListContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        home_lead(world)
        return reverse("api:project-lead-list") + "?year=2025"

    def marker(self, world: World) -> str:
        return NAME


class TestLeadDetailContract(ApiObjectContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("api:project-lead-detail", args=[home_lead(world).pk])


class TestLeadStepContract(ApiObjectContract):
    method = "post"
    ok_statuses = (200, 409)
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("api:project-lead-step", args=[home_lead(world).pk, "drop"])

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": home_lead(world).version, "on": "2025-03-01", "note": "投资方调整布局"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_signing_through_the_api_keeps_the_amount_and_moves_the_funnel(world: World) -> None:
    row = make_lead(world, LeadStage.TALKS)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    funnel = reverse("api:project-lead-funnel") + "?year=2025"
    before = client.get(funnel).json()
    assert [s["stage"] for s in before["stages"]][:3] == ["lead", "talks", "signed"]
    assert before["stages"][2]["reached"] == 0 and before["signed"] == 0

    url = reverse("api:project-lead-step", args=[row.pk, "sign"])
    refused = post(client, url, {"expected_version": row.version, "on": "2025-03-01"})
    assert refused.status_code == 400 and "amount" in json.dumps(refused.json())
    signed = post(
        client, url, {"expected_version": row.version, "on": "2025-03-01", "amount": "320000000.05"}
    )
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert (body["state"], body["amount"], body["signed_on"]) == ("signed", "320000000.05", "2025-03-01")
    assert body["events"][-1]["action"] == "sign"

    after = client.get(funnel).json()
    assert after["stages"][2]["reached"] == 1 and after["stages"][1]["conversion"] == "100.0"
    assert (after["signed"], after["signed_amount"], after["big"]) == (1, "320000000.05", 1)
    stale = post(client, url, {"expected_version": row.version, "on": "2025-03-01", "amount": "1.00"})
    assert stale.status_code == 409


def test_the_funnel_counts_the_caller_s_park_only(world: World) -> None:
    make_lead(world, LeadStage.SIGNED)
    make_lead(world, LeadStage.LEAD, side=world.other)
    mine = client_for(world.user(Role.LEADER)).get(reverse("api:project-lead-funnel"), {"year": 2025}).json()
    theirs = (
        client_for(world.other_user(Role.LEADER))
        .get(reverse("api:project-lead-funnel"), {"year": 2025})
        .json()
    )
    assert (mine["stages"][0]["reached"], mine["signed"], mine["signed_amount"]) == (1, 1, "150000000.00")
    assert (theirs["stages"][0]["reached"], theirs["signed"]) == (1, 0)
    refused = client_for(world.user(Role.ENTERPRISE)).get(reverse("api:project-lead-funnel"))
    assert refused.status_code in (403, 404)


def test_a_bad_year_is_refused_naming_it(world: World) -> None:
    response = client_for(world.user(Role.LEADER)).get(reverse("api:project-lead-funnel"), {"year": "next"})
    assert response.status_code == 400 and "year" in response.json()["error"]["fields"]
