"""The market's API: one shared contract per endpoint, then recording a need (400 naming the
field, money to the fen), the ranked suppliers with their reasons, and an introduction's steps."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World

from ..models import Introduction, Need
from ..permissions import INTRODUCERS, READERS
from .factories import cable_class, enterprise_in, make_introduction, make_need, make_offer


def home_need(world: World) -> Need:
    return Need.objects.filter(enterprise=world.home.enterprise).first() or make_need(world.home)


class TestNeedListContract(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        home_need(world)
        return reverse("api:market-need-list")


class TestNeedDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("api:market-need-detail", args=[home_need(world).pk])


class TestSuppliersContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("api:market-need-suppliers", args=[home_need(world).pk])


class TestOfferListContract(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        make_offer(world.home.enterprise)
        return reverse("api:market-offer-list")


class TestIntroductionStepContract(ApiObjectContract):
    method = "post"
    allowed_roles = INTRODUCERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        intro = make_introduction(world)
        return reverse("api:market-introduction-step", args=[intro.pk, "drop"])

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": 1, "drop_reason": "价格偏高"}


def _post(user: Any, url: str, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(url, json.dumps(body), content_type="application/json")


NEED = {
    "item": "铜芯电力电缆",
    "industry_code": "3831",
    "quantity": "500",
    "unit": "千米",
    "budget": "1234567.89",
    "wanted_by": "2099-06-01",
    "valid_until": "2099-12-31",
}


def test_recording_a_need_keeps_the_budget_to_the_fen(world: World) -> None:
    cable_class()
    body = {**NEED, "enterprise": world.home.enterprise.pk}
    response = _post(world.user(Role.ENTERPRISE), reverse("api:market-need-list"), body)
    assert response.status_code == 201, response.content
    assert response.json()["budget"] == "1234567.89"
    assert Need.objects.get().budget == Decimal("1234567.89")


def test_a_need_without_quantity_or_date_is_a_400_naming_the_fields(world: World) -> None:
    cable_class()
    body: dict[str, Any] = {k: v for k, v in NEED.items() if k not in ("quantity", "wanted_by")}
    body["enterprise"] = world.home.enterprise.pk
    response = _post(world.user(Role.SERVICE_OFFICE), reverse("api:market-need-list"), body)
    assert response.status_code == 400
    assert {"quantity", "wanted_by"} <= set(response.json()["error"]["fields"])
    unknown = _post(
        world.user(Role.SERVICE_OFFICE),
        reverse("api:market-need-list"),
        {**body, **NEED, "industry_code": "0000"},
    )
    assert unknown.status_code == 400 and "industry" in unknown.json()["error"]["fields"]
    elsewhere = _post(
        world.other_user(Role.SERVICE_OFFICE),
        reverse("api:market-need-list"),
        {**NEED, "enterprise": body["enterprise"]},
    )
    assert elsewhere.status_code == 404
    assert not Need.objects.exists()


def test_the_suppliers_come_ranked_with_reasons(world: World) -> None:
    need = make_need(world.home)
    make_offer(enterprise_in(world, "本园电缆厂"))
    make_offer(
        enterprise_in(world, "弱匹配厂"), product="轴承", keywords="轴承", industry=cable_class().parent
    )
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    body = client.get(reverse("api:market-need-suppliers", args=[need.pk])).json()
    assert [c["enterprise_name"] for c in body] == ["本园电缆厂", "弱匹配厂"]
    assert body[0]["score"] > body[1]["score"]
    assert "同一园区" in body[0]["reasons"]


def test_introducing_and_a_deal_through_the_api(world: World) -> None:
    need = make_need(world.home)
    offer = make_offer(enterprise_in(world, "本园电缆厂"))
    office = world.user(Role.SERVICE_OFFICE)
    response = _post(office, reverse("api:market-need-introduce", args=[need.pk]), {"offer": offer.pk})
    assert response.status_code == 201
    intro = Introduction.objects.get()
    url = reverse("api:market-introduction-step", args=[intro.pk, "record_deal"])
    bad = _post(office, url, {"expected_version": 1, "deal_amount": "12.345", "deal_on": "2025-01-01"})
    assert bad.status_code == 400 and "deal_amount" in bad.json()["error"]["fields"]
    done = _post(office, url, {"expected_version": 1, "deal_amount": "12.34", "deal_on": "2025-01-01"})
    assert done.status_code == 200 and done.json()["deal_amount"] == "12.34"
    stale = _post(office, url, {"expected_version": 1, "deal_amount": "12.34", "deal_on": "2025-01-01"})
    assert stale.status_code == 409
