"""The finance API: one shared contract per endpoint, then an institution's token kept to its
own institution (404 for reads and steps), applying with field errors, the fen on the wire,
and the steps (409 when stale or not allowed)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World

from ..choices import ApplicationState
from ..models import Application
from ..permissions import READERS
from .factories import give_revenue, institution_of, make_application, product_of, rival_bank_user


def home_application(world: World) -> Application:
    institution_of(world.other)
    return Application.objects.filter(enterprise=world.home.enterprise).first() or make_application(world)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(user: Any, url: str, body: dict[str, Any]) -> Any:
    return _client(user).post(url, json.dumps(body), content_type="application/json")


class TestApplicationListContract(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        home_application(world)
        return reverse("api:finance-application-list")


class TestApplicationDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        return reverse("api:finance-application-detail", args=[home_application(world).pk])


class TestProductDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        institution_of(world.other)
        return reverse("api:finance-product-detail", args=[product_of(world.home).pk])


class TestStepContract(ApiObjectContract):
    method = "post"
    allowed_roles = (Role.FINANCE,)
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        institution_of(world.other)
        return reverse("api:finance-application-step", args=[make_application(world).pk, "accept"])

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": 1}


def test_another_banks_token_gets_404_for_reads_and_steps(world: World) -> None:
    row = home_application(world)
    rival = rival_bank_user(world)
    assert _client(rival).get(reverse("api:finance-application-detail", args=[row.pk])).status_code == 404
    response = _post(
        rival, reverse("api:finance-application-step", args=[row.pk, "accept"]), {"expected_version": 1}
    )
    assert response.status_code == 404
    assert _client(rival).get(reverse("api:finance-application-list")).json()["count"] == 0


def test_applying_names_the_bad_fields_and_keeps_the_fen(world: World) -> None:
    product = product_of(world.home)
    url = reverse("api:finance-application-list")
    enterprise = world.user(Role.ENTERPRISE)
    body = {
        "product": product.pk,
        "amount_yuan": "6000000.00",
        "term_months": 12,
        "purpose": "扩产",
        "consent": False,
    }
    response = _post(enterprise, url, body)
    assert response.status_code == 400
    assert {"amount_yuan", "consent"} <= set(json.dumps(response.json()).replace('"', " ").split())
    response = _post(enterprise, url, {**body, "amount_yuan": "123456.78", "consent": True})
    assert response.status_code == 201, response.content
    assert response.json()["amount_fen"] == 12_345_678
    assert response.json()["state"] == ApplicationState.SUBMITTED


def test_a_stale_or_refused_step_is_409(world: World) -> None:
    row = home_application(world)
    bank = world.user(Role.FINANCE)
    url = reverse("api:finance-application-step", args=[row.pk, "disburse"])
    body = {"expected_version": 1, "disbursed_yuan": "1.00", "disbursed_on": "2025-03-03"}
    assert _post(bank, url, body).status_code == 409
    accept = reverse("api:finance-application-step", args=[row.pk, "accept"])
    assert _post(bank, accept, {"expected_version": 1}).status_code == 200
    assert _post(bank, accept, {"expected_version": 1}).status_code == 409


def test_the_enterprise_reads_its_verdict_through_the_api(world: World) -> None:
    product = product_of(world.home)
    give_revenue(world.home, timezone.localdate().year - 1, 900)
    data = (
        _client(world.user(Role.ENTERPRISE)).get(reverse("api:finance-product-fit", args=[product.pk])).json()
    )
    assert data["verdict"] == "ineligible"
    assert any("900" in line for line in data["lines"])
