"""The market's pages: one shared contract per page (anonymous, a role that may not, the other
park, a role that may), then what users notice: who sees whose offers and needs, the ranked
suppliers with their reasons, field-level errors in Chinese and English, a deal to the fen."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.roles import Role
from lianqi.testing.contracts import ListPageContract, ObjectPageContract
from lianqi.testing.world import World, make_user

from ..choices import IntroductionState, Visibility
from ..models import Introduction, MatchingFair, Need, Offer
from ..permissions import INTRODUCERS, READERS, STAFF
from .factories import cable_class, enterprise_in, industry, make_introduction, make_need, make_offer


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home_need(world: World) -> Need:
    return Need.objects.filter(enterprise=world.home.enterprise).first() or make_need(world.home)


def home_introduction(world: World) -> Introduction:
    return Introduction.objects.first() or make_introduction(world)


class TestNeedListContract(ListPageContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        home_need(world)
        return reverse("market:needs")


class TestOfferListContract(ListPageContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        if not Offer.objects.filter(enterprise=world.home.enterprise).exists():
            make_offer(world.home.enterprise)
        return reverse("market:offers")


class TestNeedDetailContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("market:need", args=[home_need(world).pk])


class TestIntroduceContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = INTRODUCERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("market:introduce", args=[home_need(world).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {"offer": make_offer(enterprise_in(world, "供应商")).pk}


class TestIntroductionContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        intro = home_introduction(world)
        # The enterprise's account sees introductions of its own needs.
        return reverse("market:introduction", args=[intro.pk])


class TestIntroductionStepContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302, 200)
    allowed_roles = INTRODUCERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("market:introduction_step", args=[home_introduction(world).pk, "drop"])

    def data(self, world: World) -> dict[str, Any]:
        return {"drop-expected_version": home_introduction(world).version, "drop-drop_reason": "价格"}


class TestNeedCreateContract(ObjectPageContract):
    allowed_roles = (*INTRODUCERS, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("market:need_create", args=[world.home.enterprise.pk])


class TestSectionContract(ObjectPageContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        home_need(world)
        return reverse("market:enterprise_section", args=[world.home.enterprise.pk])


class TestFairListContract(ListPageContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def marker(self, world: World) -> str:
        return "湘潭线缆对接会"

    def url(self, world: World) -> str:
        if not MatchingFair.objects.exists():
            MatchingFair.objects.create(
                jurisdiction=world.home.park, held_on="2025-03-01", theme="湘潭线缆对接会"
            )
        return reverse("market:fairs")


def test_an_enterprise_sees_others_listings_only_when_shown_to_enterprises(world: World) -> None:
    neighbour = enterprise_in(world, "邻居企业")
    shown = make_need(neighbour, item="公开的采购", visibility=Visibility.ENTERPRISES)
    private = make_need(neighbour, item="内部的采购", visibility=Visibility.OFFICE)
    own_private = make_need(world.home, item="自己的内部采购", visibility=Visibility.OFFICE)
    other_park = make_need(enterprise_in(world, "外园企业", "city"), item="外园公开采购")
    account = client_for(world.user(Role.ENTERPRISE))
    page = account.get(reverse("market:needs")).content.decode()
    assert "公开的采购" in page and "自己的内部采购" in page
    assert "内部的采购" not in page.replace("自己的内部采购", "") and "外园公开采购" not in page
    assert account.get(shown.get_absolute_url()).status_code == 200
    assert account.get(own_private.get_absolute_url()).status_code == 200
    assert account.get(private.get_absolute_url()).status_code == 404
    assert account.get(other_park.get_absolute_url()).status_code == 404
    # The office sees every need of its park, shown or not.
    office = client_for(world.user(Role.SERVICE_OFFICE))
    assert office.get(private.get_absolute_url()).status_code == 200


def test_the_need_page_ranks_suppliers_with_reasons_in_words(world: World) -> None:
    # The city's office sees both parks: at equal fit the buyer's own park comes first.
    need = make_need(world.home)
    make_offer(enterprise_in(world, "邻园电缆厂", "city"))
    make_offer(enterprise_in(world, "本园电缆厂"))
    make_offer(enterprise_in(world, "外省电缆厂", "elsewhere"))
    city_office = make_user("city_office", Role.SERVICE_OFFICE, world.city)
    page = client_for(city_office).get(need.get_absolute_url()).content.decode()
    assert page.index("本园电缆厂") < page.index("邻园电缆厂")
    assert "行业小类相同（3831）" in page and "同一园区" in page and "同城" in page
    # Suppliers outside the user's jurisdiction are not shown.
    assert "外省电缆厂" not in page
    park_page = client_for(world.user(Role.LIAISON)).get(need.get_absolute_url()).content.decode()
    assert "本园电缆厂" in park_page and "邻园电缆厂" not in park_page


def test_a_bad_need_form_shows_each_error_next_to_its_field(world: World) -> None:
    cable_class()
    client = client_for(world.user(Role.ENTERPRISE))
    url = reverse("market:need_create", args=[world.home.enterprise.pk])
    response = client.post(
        url,
        {
            "item": "电缆",
            "industry_code": "9999",
            "quantity": "",
            "unit": "千米",
            "budget": "10.005",
            "valid_until": "2099-01-01",
            "visibility": "office",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    for field in ("quantity", "wanted_by", "budget"):
        assert f'data-error-for="{field}"' in body, field
    # A well-formed form whose industry code is unknown is refused by the action, next to it.
    unknown = client.post(
        url,
        {
            "item": "电缆",
            "industry_code": "9999",
            "quantity": "5",
            "unit": "千米",
            "wanted_by": "2099-01-01",
            "valid_until": "2099-01-01",
            "visibility": "office",
        },
    )
    assert 'data-error-for="industry_code"' in unknown.content.decode()
    assert "请填写有效的国民经济行业分类代码" in unknown.content.decode()
    assert not Need.objects.exists()
    ok = client.post(
        url,
        {
            "item": "电缆",
            "industry_code": "3831",
            "quantity": "5",
            "unit": "千米",
            "budget": "1234.56",
            "wanted_by": "2099-01-01",
            "valid_until": "2099-01-01",
            "visibility": "office",
        },
    )
    need = Need.objects.get()
    assert ok["Location"] == need.get_absolute_url()
    assert "¥1,234.56" in client.get(need.get_absolute_url()).content.decode()


def test_the_office_introduces_and_records_a_deal_to_the_fen(world: World) -> None:
    need = make_need(world.home)
    offer = make_offer(enterprise_in(world, "本园电缆厂"))
    office = client_for(world.user(Role.SERVICE_OFFICE))
    response = office.post(reverse("market:introduce", args=[need.pk]), {"offer": offer.pk})
    intro = Introduction.objects.get()
    assert response["Location"] == intro.get_absolute_url()
    url = reverse("market:introduction_step", args=[intro.pk, "record_deal"])
    bad = office.post(
        url, {"record_deal-expected_version": 1, "record_deal-deal_amount": "", "record_deal-deal_on": ""}
    )
    assert 'data-error-for="deal_amount"' in bad.content.decode()
    office.post(
        url,
        {
            "record_deal-expected_version": 1,
            "record_deal-deal_amount": "3000000.07",
            "record_deal-deal_on": "2025-01-02",
        },
    )
    intro.refresh_from_db()
    assert intro.state == IntroductionState.DEAL
    assert "¥3,000,000.07" in office.get(intro.get_absolute_url()).content.decode()


def test_withdrawn_offers_and_expired_needs_are_not_suggested(world: World) -> None:
    from ..choices import ListingState

    need = make_need(world.home)
    make_offer(enterprise_in(world, "已撤回电缆厂"), state=ListingState.WITHDRAWN)
    offer = make_offer(enterprise_in(world, "在售电缆厂"))
    make_need(enterprise_in(world, "过期采购方"), item="铜芯电力电缆", valid_until="2020-01-01")
    office = client_for(world.user(Role.SERVICE_OFFICE))
    need_page = office.get(need.get_absolute_url()).content.decode()
    assert "在售电缆厂" in need_page and "已撤回电缆厂" not in need_page
    offer_page = office.get(offer.get_absolute_url()).content.decode()
    assert world.home.enterprise.name in offer_page and "过期采购方" not in offer_page


def test_an_enterprise_is_offered_only_suppliers_it_may_see(world: World) -> None:
    need = make_need(world.home)
    make_offer(enterprise_in(world, "公开电缆厂"), visibility=Visibility.ENTERPRISES)
    make_offer(enterprise_in(world, "内部电缆厂"), visibility=Visibility.OFFICE)
    page = client_for(world.user(Role.ENTERPRISE)).get(need.get_absolute_url()).content.decode()
    assert "公开电缆厂" in page and "内部电缆厂" not in page
    assert "/introduce/" not in page  # enterprises follow introductions but do not make them


def test_the_lists_filter_by_the_start_of_the_industry_code(world: World) -> None:
    make_need(world.home, item="电缆采购")
    make_need(world.home, item="电池采购", industry=industry("3841", "锂离子电池制造"))
    client = client_for(world.user(Role.SERVICE_OFFICE))
    page = client.get(reverse("market:needs"), {"industry": "383"}).content.decode()
    assert "电缆采购" in page and "电池采购" not in page
    assert client.get(reverse("market:offers"), {"industry": "\x90𮨺"}).status_code == 200


def _exported(client: Client, url_name: str) -> list[dict[str, Any]]:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).worksheets[0]]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_lists_export_what_the_user_may_see_with_budgets_to_the_fen(world: World) -> None:
    neighbour = enterprise_in(world, "邻居企业")
    make_need(neighbour, item="公开的采购", visibility=Visibility.ENTERPRISES, budget=Decimal("123456.78"))
    make_need(neighbour, item="内部的采购", visibility=Visibility.OFFICE)
    make_need(enterprise_in(world, "外园企业", "city"), item="外园公开采购")
    make_offer(neighbour)
    office = _exported(client_for(world.user(Role.SERVICE_OFFICE)), "market:needs_export")
    assert sorted(row["采购品"] for row in office) == ["公开的采购", "内部的采购"]
    budget = next(row["预算（元）"] for row in office if row["采购品"] == "公开的采购")
    assert Decimal(str(budget)) == Decimal("123456.78")
    account = _exported(client_for(world.user(Role.ENTERPRISE)), "market:needs_export")
    assert [row["采购品"] for row in account] == ["公开的采购"]
    offers = _exported(client_for(world.user(Role.SERVICE_OFFICE)), "market:offers_export")
    assert [row["企业"] for row in offers] == [neighbour.name]
    stranger = _exported(client_for(world.other_user(Role.SERVICE_OFFICE)), "market:needs_export")
    assert not {"公开的采购", "内部的采购"} & {row["采购品"] for row in stranger}
