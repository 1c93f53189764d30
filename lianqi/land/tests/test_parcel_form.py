"""Registering and correcting one parcel from a page: the contracts (the other park's user gets
404 on another park's parcel), what is saved, and every refusal named on its field with the
input kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import trans_real

from lianqi.core.roles import Role
from lianqi.testing.contracts import ObjectPageContract, PageContract
from lianqi.testing.world import World

from ..choices import ParcelStatus
from ..models import Parcel, ParcelEvent
from .factories import LAT, LON, make_parcel, rectangle


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(**changes: Any) -> dict[str, Any]:
    """A 200 m × 100 m (30 mu) industrial parcel as the office types it."""
    data: dict[str, Any] = {
        "code": "XT-NEW-01",
        "location": "晓塘路以北新地块",
        "land_use": "0601",
        "area_mu": "30",
        "boundary": json.dumps(rectangle(200, 100, LON + 0.5)),
        "price_kind": "reserve",
        "price": "6000000",
        "investment_per_mu_min": "300",
        "tax_per_mu_min": "20",
        "power_kva": "2000",
    }
    data.update(changes)
    return data


def pairs(shape: dict[str, Any]) -> str:
    return "\n".join(f"{lon},{lat}" for lon, lat in shape["coordinates"][0])


def edit_data(parcel: Parcel, **changes: Any) -> dict[str, Any]:
    return form_data(
        **{
            "code": parcel.code,
            "boundary": json.dumps(parcel.boundary),
            "expected_version": parcel.version,
            **changes,
        }
    )


class TestNewParcelContract(PageContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.ADMIN)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("land:parcel_new")


class TestEditParcelContract(ObjectPageContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.ADMIN)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        parcel = Parcel.objects.filter(jurisdiction=world.home.park).first() or make_parcel(world)
        return reverse("land:parcel_edit", args=[parcel.pk])


class TestSaveParcelContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        parcel = Parcel.objects.filter(jurisdiction=world.home.park).first() or make_parcel(world)
        return reverse("land:parcel_edit", args=[parcel.pk])

    def data(self, world: World) -> dict[str, Any]:
        parcel = Parcel.objects.filter(jurisdiction=world.home.park).first() or make_parcel(world)
        return edit_data(parcel)


def test_the_office_registers_a_parcel_from_lon_lat_pairs_and_puts_it_on_the_shelf(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    assert "登记地块" in client.get(reverse("land:map")).content.decode()
    shape = rectangle(200, 100, LON + 0.5)
    response = client.post(reverse("land:parcel_new"), form_data(boundary=pairs(shape), publish="on"))
    row = Parcel.objects.get(code="XT-NEW-01")
    assert response["Location"] == row.get_absolute_url()
    assert row.jurisdiction == world.home.park and row.state == ParcelStatus.AVAILABLE
    assert row.area_mu == Decimal("30.00") and row.area_m2 == Decimal("20000.10")
    assert row.investment_per_mu_min == Decimal("300.00") and row.price == Decimal("6000000.00")
    assert abs(row.centre_lat - LAT) < 0.001
    page = client.get(row.get_absolute_url()).content.decode()
    assert "晓塘路以北新地块" in page and "≥ 300 万元/亩" in page


def test_bad_parcels_are_refused_with_the_field_named_and_the_input_kept(world: World) -> None:
    make_parcel(world, code="XT-TAKEN")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    open_ring = rectangle(200, 100, LON + 0.5)["coordinates"][0][:-1]
    bow_tie = [[LON, LAT], [LON + 0.002, LAT + 0.001], [LON + 0.002, LAT], [LON, LAT + 0.001], [LON, LAT]]
    cases = {
        "boundary": [
            {"boundary": "\n".join(f"{a},{b}" for a, b in open_ring)},
            {"boundary": json.dumps({"type": "Polygon", "coordinates": [bow_tie]})},
            {"boundary": "112.9,abc"},
        ],
        "area_mu": [{"area_mu": "-3"}, {"area_mu": "60"}],
        "code": [{"code": "XT-TAKEN"}],
    }
    for field, changes_list in cases.items():
        for changes in changes_list:
            response = client.post(reverse("land:parcel_new"), form_data(**changes))
            page = response.content.decode()
            assert response.status_code == 200, changes
            assert f'data-error-for="{field}"' in page, changes
            assert "晓塘路以北新地块" in page  # what was typed is still there
    assert (
        "未闭合"
        in client.post(
            reverse("land:parcel_new"), form_data(boundary="\n".join(f"{a},{b}" for a, b in open_ring))
        ).content.decode()
    )
    assert not Parcel.objects.filter(location="晓塘路以北新地块").exists()


def test_the_office_corrects_a_parcel_and_a_stale_page_does_not_overwrite_it(world: World) -> None:
    parcel = make_parcel(world, code="XT-EDIT")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    page = client.get(parcel.get_absolute_url()).content.decode()
    assert reverse("land:parcel_edit", args=[parcel.pk]) in page
    form = client.get(reverse("land:parcel_edit", args=[parcel.pk])).content.decode()
    assert "XT-EDIT" in form and "高新区晓塘路" in form
    stale = edit_data(parcel, price="5500000")
    response = client.post(reverse("land:parcel_edit", args=[parcel.pk]), edit_data(parcel, price="5800000"))
    assert response.status_code == 302
    parcel.refresh_from_db()
    assert (parcel.price, parcel.version, parcel.location) == (Decimal("5800000.00"), 2, "晓塘路以北新地块")
    assert ParcelEvent.objects.filter(parcel=parcel, action="edit").count() == 1
    again = client.post(reverse("land:parcel_edit", args=[parcel.pk]), stale)
    assert again.status_code == 200 and "请刷新后重试" in again.content.decode()
    other = make_parcel(world, code="XT-OTHER")
    dup = client.post(reverse("land:parcel_edit", args=[other.pk]), edit_data(other, code="XT-EDIT"))
    assert 'data-error-for="code"' in dup.content.decode()
    parcel.refresh_from_db()
    assert parcel.price == Decimal("5800000.00")


def test_a_reserved_parcel_is_no_longer_editable(world: World) -> None:
    parcel = make_parcel(world, ParcelStatus.RESERVED)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    assert 'data-testid="edit"' not in client.get(parcel.get_absolute_url()).content.decode()
    response = client.post(reverse("land:parcel_edit", args=[parcel.pk]), edit_data(parcel, price="1"))
    assert response.status_code == 200 and "不能再修改" in response.content.decode()
    parcel.refresh_from_db()
    assert parcel.price == Decimal("6000000.00")


@pytest.fixture
def english_geometry_words() -> Iterator[None]:
    """The English words of a crossing ring and of an import's line, as the catalogue gives
    them (added here so the test does not depend on when the catalogue is compiled)."""
    catalog = trans_real.translation("en")._catalog  # type: ignore[attr-defined]
    words = {
        "外环": "Outer ring",
        "%(ring)s自相交": "%(ring)s crosses itself",
        "第 %(index)s 个要素（%(code)s）": "Feature %(index)s (%(code)s)",
        "%(who)s %(field)s：%(message)s": "%(who)s %(field)s: %(message)s",
    }
    kept = {msgid: catalog.get(msgid) for msgid in words}
    for msgid, msgstr in words.items():
        catalog[msgid] = msgstr
    yield
    for msgid, msgstr in kept.items():
        if msgstr is None:
            del catalog._catalogs[0][msgid]
        else:
            catalog[msgid] = msgstr


BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[112.5, 27.9], [112.51, 27.91], [112.51, 27.9], [112.5, 27.91], [112.5, 27.9]]],
}


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Outer ring crosses itself"), ("zh-hans", "外环自相交")]
)
def test_a_bad_boundary_is_refused_in_the_users_language(
    world: World, english_geometry_words: None, language: str, words: str
) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    client.cookies["django_language"] = language
    response = client.post(reverse("land:parcel_new"), form_data(boundary=json.dumps(BOW_TIE)))
    assert response.status_code == 200
    assert response.context["form"].errors["boundary"] == [words]
    assert not Parcel.objects.exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Feature 1 (I-9) geometry: Outer ring crosses itself"),
        ("zh-hans", "第 1 个要素（I-9） geometry：外环自相交"),
    ],
)
def test_an_import_reports_a_bad_boundary_in_the_users_language(
    world: World, english_geometry_words: None, language: str, words: str
) -> None:
    feature = {
        "type": "Feature",
        "geometry": BOW_TIE,
        "properties": {"code": "I-9", "location": "书院路", "land_use": "0601", "price": 1, "area_m2": 10000},
    }
    client = client_for(world.user(Role.SERVICE_OFFICE))
    client.cookies["django_language"] = language
    page = client.post(
        reverse("land:import"), {"text": json.dumps({"type": "FeatureCollection", "features": [feature]})}
    ).content.decode()
    assert words in page
    assert not Parcel.objects.exists()
