"""The visits' API: one shared contract per endpoint, then recording a visit twice with the same
key (one visit, 201 then 200), answers refused by question, publishing refused with reasons,
versions, and coverage."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World

from ..choices import CampaignState
from ..models import Campaign, Visit
from ..permissions import BUILDERS, MANAGERS, RECORDERS
from .factories import DEFINITION, NEEDY, QUIET, make_campaign, make_questionnaire

STAFF_READERS = (*MANAGERS, Role.LIAISON)


def home_campaign(world: World) -> Campaign:
    return Campaign.objects.filter(jurisdiction=world.home.park).first() or make_campaign(world)


def _post(world: World, role: str, url: str, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(world.user(role))
    return client.post(url, json.dumps(body), content_type="application/json")


class TestCampaignListContract(ApiListContract):
    allowed_roles = STAFF_READERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        home_campaign(world)
        return reverse("api:visit-campaign-list")

    def marker(self, world: World) -> str:
        return f'"id":{home_campaign(world).pk},'


class TestCampaignCoverageContract(ApiObjectContract):
    allowed_roles = STAFF_READERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("api:visit-campaign-coverage", args=[home_campaign(world).pk])


class TestVisitCreateContract(ApiObjectContract):
    method = "post"
    ok_statuses = (201, 200)
    allowed_roles = RECORDERS
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        return reverse("api:visit-list")

    def data(self, world: World) -> dict[str, Any]:
        return {
            "idempotency_key": f"contract-{Visit.objects.count()}",
            "enterprise": world.home.enterprise.pk,
            "campaign": home_campaign(world).pk,
            "answers": QUIET,
        }

    def test_other_jurisdiction_gets_404(self, world: World) -> None:
        # The home enterprise and campaign are unknown to the other park: a 400 naming them.
        for role in self.allowed_roles:
            response = self.request(self.client_for(world.other_user(role)), world)
            assert response.status_code == 400, role
            assert {"enterprise", "campaign"} <= set(response.json()["error"]["fields"])


class TestQuestionnaireListContract(ApiListContract):
    allowed_roles = BUILDERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        home_campaign(world)
        return reverse("api:questionnaire-list")

    def marker(self, world: World) -> str:
        return "助企纾困问卷"


def test_the_same_visit_posted_twice_is_one_visit(world: World) -> None:
    campaign = make_campaign(world)
    body = {
        "idempotency_key": "phone-1",
        "enterprise": world.home.enterprise.pk,
        "campaign": campaign.pk,
        "answers": NEEDY,
        "solved": {"needs:用工": "已推送招聘会"},
    }
    first = _post(world, Role.LIAISON, reverse("api:visit-list"), body)
    again = _post(world, Role.LIAISON, reverse("api:visit-list"), body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Visit.objects.count() == 1
    raised = {row["category"]: row for row in first.json()["raised"]}
    assert raised["用工招聘"]["solved_on_spot"] is True and raised["融资困难"]["state"] == "received"


def test_wrong_answers_are_a_400_naming_each_question(world: World) -> None:
    campaign = make_campaign(world)
    body = {
        "idempotency_key": "phone-2",
        "enterprise": world.home.enterprise.pk,
        "campaign": campaign.pk,
        "answers": {"finance": "是", "amount": "很多"},
    }
    response = _post(world, Role.LIAISON, reverse("api:visit-list"), body)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"answer_state", "answer_amount"}
    assert not Visit.objects.exists()


def test_publishing_an_unanswerable_questionnaire_is_a_400_and_a_stale_step_a_409(world: World) -> None:
    broken = copy.deepcopy(DEFINITION)
    broken["sections"][1]["questions"][1]["show_if"] = {"question": "nowhere", "equals": "是"}
    campaign = make_campaign(world, CampaignState.DRAFT, questionnaire=make_questionnaire(world.home, broken))
    url = reverse("api:visit-campaign-step", args=[campaign.pk, "publish"])
    refused = _post(world, Role.SERVICE_OFFICE, url, {"expected_version": 1})
    assert refused.status_code == 400
    assert "引用了不存在的题目 nowhere" in json.dumps(refused.json(), ensure_ascii=False)
    stale = _post(world, Role.SERVICE_OFFICE, url, {"expected_version": 9})
    assert stale.status_code == 409


def test_a_questionnaire_in_use_gets_a_new_version(world: World) -> None:
    created = _post(
        world,
        Role.SERVICE_OFFICE,
        reverse("api:questionnaire-list"),
        {"title": "营商环境问卷", "definition": DEFINITION},
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    url = reverse("api:questionnaire-save", args=[pk])
    assert (
        _post(world, Role.SERVICE_OFFICE, url, {"title": "营商环境问卷", "definition": DEFINITION}).json()[
            "number"
        ]
        == 1
    )
    campaign = _post(
        world,
        Role.SERVICE_OFFICE,
        reverse("api:visit-campaign-list"),
        {
            "title": "营商环境走访",
            "theme": "营商环境",
            "starts_on": "2025-07-01",
            "ends_on": "2025-07-31",
            "questionnaire": pk,
        },
    )
    assert campaign.status_code == 201 and campaign.json()["state"] == "draft"
    step = reverse("api:visit-campaign-step", args=[campaign.json()["id"], "publish"])
    assert _post(world, Role.SERVICE_OFFICE, step, {"expected_version": 1}).json()["state"] == "open"
    assert (
        _post(world, Role.SERVICE_OFFICE, url, {"title": "营商环境问卷", "definition": DEFINITION}).json()[
            "number"
        ]
        == 2
    )


def test_the_schema_documents_the_visits(db: Any) -> None:
    paths = Client().get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {
        "/api/v1/visits/",
        "/api/v1/visit-campaigns/{id}/coverage/",
        "/api/v1/questionnaires/{id}/save/",
    } <= set(paths)
