"""The policy supermarket API: scoping of every endpoint (one contract each), rule drafts
refused whole, the sandbox, publishing, explanations, and the ledger's steps and applications."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES, Role
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World

from .. import actions
from ..choices import FulfilmentState, VersionState
from ..models import Fulfilment, Policy, PolicyMatch
from .test_actions import make_policy, revenue, rule

READERS = (*STAFF_ROLES, Role.ENTERPRISE)
TITLE = "规上工业企业培育奖励"


def policy_in_force(world: World) -> Policy:
    policy = Policy.objects.filter(code="XT-2025-001").first()
    if policy is None:
        revenue(world.home.enterprise, timezone.localdate().year - 1, 2600)
        policy = make_policy(world)
        draft = actions.save_policy_draft(
            policy=policy, actor=None, rule=rule(policy.code), valid_from=dt.date(2025, 1, 1)
        )
        actions.publish_policy_version(version=draft, actor=world.user(Role.SERVICE_OFFICE))
        actions.rematch_policy(policy=policy)
    return policy


def entry(world: World) -> Fulfilment:
    return Fulfilment.objects.get(policy=policy_in_force(world), enterprise=world.home.enterprise)


class TestPolicyListContract(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        policy_in_force(world)
        return reverse("api:policy-list")

    def marker(self, world: World) -> str:
        return TITLE


class TestPolicyDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("api:policy-detail", args=[policy_in_force(world).pk])


class TestPolicyRuleContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("api:policy-rule", args=[policy_in_force(world).pk])


class TestPolicyDraftContract(ApiObjectContract):
    method = "post"
    allowed_roles = tuple(OFFICE_ROLES)
    denied_role = Role.LIAISON
    ok_statuses = (201,)

    def url(self, world: World) -> str:
        return reverse("api:policy-drafts", args=[policy_in_force(world).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {"rule": rule("XT-2025-001", threshold=3000), "valid_from": "2027-01-01"}


class TestPolicySandboxContract(ApiObjectContract):
    method = "post"
    allowed_roles = tuple(OFFICE_ROLES)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:policy-sandbox", args=[policy_in_force(world).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {"rule": rule("XT-2025-001", threshold=3000)}


class TestPolicyPublishContract(ApiObjectContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        policy = policy_in_force(world)
        draft = policy.versions.filter(state=VersionState.DRAFT).first() or actions.save_policy_draft(
            policy=policy, actor=None, rule=rule(policy.code, threshold=3000), valid_from=dt.date(2027, 1, 1)
        )
        return reverse("api:policy-publish", args=[policy.pk, draft.number])


class TestMatchListContract(ApiListContract):
    allowed_roles = (Role.LEADER, Role.SERVICE_OFFICE, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        policy_in_force(world)
        return reverse("api:policy-match-list")

    def marker(self, world: World) -> str:
        return world.home.enterprise.name


class TestMatchExplanationContract(ApiObjectContract):
    allowed_roles = (Role.LEADER, Role.SERVICE_OFFICE, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        match = PolicyMatch.objects.get(policy=policy_in_force(world), enterprise=world.home.enterprise)
        return reverse("api:policy-match-explanation", args=[match.pk])


class TestFulfilmentListContract(ApiListContract):
    allowed_roles = (Role.LEADER, Role.SERVICE_OFFICE, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        entry(world)
        return reverse("api:fulfilment-list")

    def marker(self, world: World) -> str:
        return world.home.enterprise.name


class TestFulfilmentDetailContract(ApiObjectContract):
    allowed_roles = (Role.LEADER, Role.SERVICE_OFFICE, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("api:fulfilment-detail", args=[entry(world).pk])


class TestFulfilmentStepContract(ApiObjectContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("api:fulfilment-step", args=[entry(world).pk, "notify"])

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": entry(world).version}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_wrong_rule_is_refused_whole_naming_the_condition(world: World) -> None:
    policy = policy_in_force(world)
    bad = rule(policy.code)
    bad["rules"][0]["eligibility"]["all"][1]["unit"] = "元"
    response = _post(
        _client(world.user(Role.SERVICE_OFFICE)),
        reverse("api:policy-drafts", args=[policy.pk]),
        {"rule": bad, "valid_from": "2027-01-01"},
    )
    assert response.status_code == 400
    assert "1.2" in json.dumps(response.json()["error"]["fields"]["rule"], ensure_ascii=False)
    assert not policy.versions.filter(state=VersionState.DRAFT).exists()


def test_the_sandbox_and_publishing_through_the_api(world: World) -> None:
    policy = policy_in_force(world)
    office = _client(world.user(Role.SERVICE_OFFICE))
    sandbox = _post(
        office, reverse("api:policy-sandbox", args=[policy.pk]), {"rule": rule(policy.code, threshold=3000)}
    )
    assert sandbox.json()["leaving"] == [world.home.enterprise.pk]
    draft = _post(
        office,
        reverse("api:policy-drafts", args=[policy.pk]),
        {"rule": rule(policy.code, threshold=3000), "valid_from": "2027-01-01"},
    ).json()
    published = _post(office, reverse("api:policy-publish", args=[policy.pk, draft["number"]]), {})
    assert published.status_code == 200 and published.json()["state"] == "published"


def test_an_enterprise_reads_why_it_fits(world: World) -> None:
    match = PolicyMatch.objects.get(policy=policy_in_force(world), enterprise=world.home.enterprise)
    body = (
        _client(world.user(Role.ENTERPRISE))
        .get(reverse("api:policy-match-explanation", args=[match.pk]))
        .json()
    )
    assert body["verdict"] == "eligible" and body["amount"] == 10
    assert any("营业收入不低于 2000 万元" in line and "本企业为 2600 万元" in line for line in body["lines"])
    revenue = next(c for c in body["conditions"] if c["attribute"] == "revenue")
    assert (revenue["op"], revenue["threshold"], revenue["actual"], revenue["unit"]) == (
        ">=",
        2000,
        2600,
        "万元",
    )
    assert revenue["outcome"] == "符合" and revenue["data_source"] == "统计年报"
    assert body["verdict_label"] == "符合" and "约 10 万元" in body["amount_text"]
    # The match names its policy with the level (added beside the old fields).
    detail = (
        _client(world.user(Role.ENTERPRISE)).get(reverse("api:policy-match-detail", args=[match.pk])).json()
    )
    assert (
        detail["policy_title"] == f"{match.policy.title}（园区级）"
        and detail["policy_code"] == match.policy.code
    )


def test_ledger_steps_answer_conflicts_with_the_allowed_steps(world: World) -> None:
    item = entry(world)
    office = _client(world.user(Role.SERVICE_OFFICE))
    url = reverse("api:fulfilment-step", args=[item.pk, "disburse"])
    refused = _post(office, url, {"expected_version": item.version})
    assert refused.status_code == 409 and refused.json()["error"]["allowed_actions"][0]["code"] == "notify"
    stale = _post(office, reverse("api:fulfilment-step", args=[item.pk, "notify"]), {"expected_version": 99})
    assert stale.status_code == 409 and stale.json()["error"]["current_version"] == item.version


def test_an_enterprise_applies_through_the_api(world: World) -> None:
    policy = policy_in_force(world)
    response = _post(
        _client(world.user(Role.ENTERPRISE)),
        reverse("api:fulfilment-applications"),
        {"policy": policy.pk, "text": "申请培育奖励"},
    )
    assert response.status_code == 201 and response.json()["state"] == FulfilmentState.APPLIED
    refused = _post(
        _client(world.user(Role.SERVICE_OFFICE)),
        reverse("api:fulfilment-applications"),
        {"policy": policy.pk, "text": "x"},
    )
    assert refused.status_code == 403
