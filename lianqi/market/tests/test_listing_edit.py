"""Correcting an offer or a need after it was recorded: by its enterprise or the office (not
another enterprise of the park), every bad field named, a stale page refused rather than
overwriting, a withdrawn listing left alone, the edit in the listing's history; another park's
user gets 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.contracts import ObjectPageContract
from lianqi.testing.world import World, make_enterprise, make_user

from ..choices import ListingState
from ..models import Need, NeedEvent, Offer, OfferEvent
from .factories import make_need, make_offer


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home_offer(world: World) -> Offer:
    return Offer.objects.filter(enterprise=world.home.enterprise).first() or make_offer(world.home.enterprise)


def offer_form(offer: Offer, **changes: Any) -> dict[str, Any]:
    data = {
        "product": offer.product,
        "industry_code": offer.industry.code,
        "keywords": offer.keywords,
        "visibility": offer.visibility,
        "expected_version": offer.version,
    }
    data.update(changes)
    return data


class TestOfferEditContract(ObjectPageContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.ENTERPRISE)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("market:offer_edit", args=[home_offer(world).pk])


class TestOfferSaveContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = (Role.SERVICE_OFFICE, Role.ENTERPRISE)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("market:offer_edit", args=[home_offer(world).pk])

    def data(self, world: World) -> dict[str, Any]:
        return offer_form(home_offer(world))


class TestNeedEditContract(ObjectPageContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.ENTERPRISE)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        need = Need.objects.filter(enterprise=world.home.enterprise).first() or make_need(world.home)
        return reverse("market:need_edit", args=[need.pk])


def test_the_enterprise_corrects_its_offer_and_a_stale_page_does_not_overwrite(world: World) -> None:
    offer = make_offer(world.home.enterprise)
    client = client_for(world.user(Role.ENTERPRISE))
    detail = client.get(offer.get_absolute_url()).content.decode()
    assert reverse("market:offer_edit", args=[offer.pk]) in detail
    assert "铜芯电力电缆" in client.get(reverse("market:offer_edit", args=[offer.pk])).content.decode()
    stale = offer_form(offer, product="旧页面上的改动")
    response = client.post(
        reverse("market:offer_edit", args=[offer.pk]),
        offer_form(offer, product="交联聚乙烯绝缘电缆", capacity="1200", unit="千米"),
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.product, offer.capacity, offer.unit, offer.version) == (
        "交联聚乙烯绝缘电缆",
        Decimal("1200.00"),
        "千米",
        2,
    )
    assert OfferEvent.objects.filter(offer=offer, action="edit").count() == 1
    again = client.post(reverse("market:offer_edit", args=[offer.pk]), stale)
    assert again.status_code == 200 and "请刷新后重试" in again.content.decode()
    offer.refresh_from_db()
    assert offer.product == "交联聚乙烯绝缘电缆"


def test_bad_fields_are_named_and_nothing_is_saved(world: World) -> None:
    offer = make_offer(world.home.enterprise)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(
        reverse("market:offer_edit", args=[offer.pk]),
        offer_form(offer, product="新产品", industry_code="0000", capacity="5"),
    )
    page = response.content.decode()
    assert 'data-error-for="industry_code"' in page and 'data-error-for="unit"' in page
    offer.refresh_from_db()
    assert (offer.product, offer.version) == ("铜芯电力电缆", 1)


def test_the_office_corrects_a_need_and_its_dates_are_checked(world: World) -> None:
    need = make_need(world.home)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    form = {
        "item": "铝合金电缆",
        "industry_code": "3831",
        "quantity": "800",
        "unit": "千米",
        "budget": "1200000.50",
        "wanted_by": "2099-07-01",
        "valid_until": "2000-01-01",
        "current_supplier_region": "",
        "visibility": need.visibility,
        "expected_version": 1,
    }
    refused = client.post(reverse("market:need_edit", args=[need.pk]), form)
    assert 'data-error-for="valid_until"' in refused.content.decode()
    client.post(reverse("market:need_edit", args=[need.pk]), {**form, "valid_until": "2099-12-31"})
    need.refresh_from_db()
    assert (need.item, need.quantity, need.budget, need.version) == (
        "铝合金电缆",
        Decimal("800.00"),
        Decimal("1200000.50"),
        2,
    )
    assert NeedEvent.objects.filter(need=need, action="edit").count() == 1


def test_another_enterprise_and_a_withdrawn_listing_are_refused(world: World) -> None:
    offer = make_offer(world.home.enterprise)
    neighbour = make_user("neighbour", Role.ENTERPRISE, world.home.park)
    neighbour.enterprise = make_enterprise(world.home.park, "园区另一家企业")
    neighbour.save()
    outsider = client_for(neighbour)
    assert 'data-testid="edit"' not in outsider.get(offer.get_absolute_url()).content.decode()
    assert outsider.get(reverse("market:offer_edit", args=[offer.pk])).status_code == 403
    refused = outsider.post(reverse("market:offer_edit", args=[offer.pk]), offer_form(offer, product="冒名"))
    assert refused.status_code == 200
    Offer.objects.filter(pk=offer.pk).update(state=ListingState.WITHDRAWN)
    office = client_for(world.user(Role.SERVICE_OFFICE))
    assert 'data-testid="edit"' not in office.get(offer.get_absolute_url()).content.decode()
    gone = office.post(reverse("market:offer_edit", args=[offer.pk]), offer_form(offer, product="改名"))
    assert "不能再修改" in gone.content.decode()
    offer.refresh_from_db()
    assert offer.product == "铜芯电力电缆"
