"""The land supermarket's pages: one shared contract per page (anonymous, a role that may not,
the other park, a role that may), then what the pages show and do."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.roles import Role
from lianqi.testing.contracts import ListExportContract, ListPageContract, ObjectPageContract
from lianqi.testing.world import World

from ..choices import ParcelStatus, ReservationState
from ..models import Parcel, Reservation
from ..permissions import MANAGERS, READERS, RESERVERS
from .factories import LON, make_parcel, make_reservation, rectangle


def home_parcel(world: World) -> Parcel:
    return Parcel.objects.filter(jurisdiction=world.home.park).first() or make_parcel(world, code="XT-HOME")


def home_reservation(world: World) -> Reservation:
    return Reservation.objects.filter(enterprise=world.home.enterprise).first() or make_reservation(world)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestMapContract(ListPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def marker(self, world: World) -> str:
        return "XT-HOME"

    def url(self, world: World) -> str:
        home_parcel(world)
        return reverse("land:map")


class TestParcelExportContract(ListExportContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def marker(self, world: World) -> str:
        return "XT-HOME"

    def url(self, world: World) -> str:
        home_parcel(world)
        return reverse("land:export")


class TestReservationExportContract(ListExportContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        home_reservation(world)
        return reverse("land:reservations_export")


class TestParcelContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("land:parcel", args=[home_parcel(world).pk])


class TestReserveContract(ObjectPageContract):
    method = "post"
    ok_statuses = (200, 302)
    allowed_roles = RESERVERS
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("land:reserve", args=[home_parcel(world).pk])


class TestReservationsContract(ListPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        home_reservation(world)
        return reverse("land:reservations")


class TestReservationContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("land:reservation", args=[home_reservation(world).pk])


class TestStepContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("land:step", args=[home_reservation(world).pk, "approve"])

    def data(self, world: World) -> dict[str, Any]:
        return {"approve-expected_version": home_reservation(world).version}


class TestEnterpriseSectionContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        home_reservation(world)
        return reverse("land:enterprise_section", args=[world.home.enterprise.pk])


def test_the_map_draws_every_parcel_from_its_boundary_and_dims_the_filtered_out(world: World) -> None:
    make_parcel(world, code="XT-IND", land_use="0601")
    make_parcel(world, ParcelStatus.SOLD, code="XT-BIZ", land_use="0505")
    make_parcel(world, side=world.other, code="JK-OTHER")
    client = client_for(world.user(Role.ENTERPRISE))
    page = client.get(reverse("land:map")).content.decode()
    svg = page.split('data-testid="land-map"')[1].split("</svg>")[0]
    assert svg.count("<path ") == 2 and "JK-OTHER" not in page
    assert 'fill="#2fb344"' in svg and 'fill="#d63939"' in svg  # available green, sold red
    assert "<script" not in page.split("<main")[-1].split("</main>")[0] if "<main" in page else True
    filtered = client.get(reverse("land:map"), {"land_use": "0505"}).content.decode()
    svg = filtered.split('data-testid="land-map"')[1].split("</svg>")[0]
    assert 'data-code="XT-IND" data-dimmed="1"' in svg and 'data-code="XT-BIZ">' in svg
    table = filtered.split('data-testid="list"')[1]
    assert "XT-BIZ" in table and "XT-IND" not in table


def test_a_bad_filter_value_is_dropped_not_a_500(world: World) -> None:
    make_parcel(world)
    response = client_for(world.user(Role.LEADER)).get(
        reverse("land:map"), {"area_min": "abc", "state": "nope"}
    )
    assert response.status_code == 200


def test_the_parcel_page_answers_what_an_investor_asks(world: World) -> None:
    parcel = make_parcel(world, code="XT-0099")
    page = client_for(world.user(Role.ENTERPRISE)).get(parcel.get_absolute_url()).content.decode()
    for words in (
        "工业用地",
        "2000 千伏安",
        "≥ 300 万元/亩",
        "≤ 0.5 吨标煤/万元",
        "600.00 万元",
        "先进制造产业园",
        'data-testid="reserve"',
    ):
        assert words in page, words


def test_an_enterprise_reserves_from_the_parcel_page(world: World) -> None:
    parcel = make_parcel(world)
    client = client_for(world.user(Role.ENTERPRISE))
    form = {
        "reserve-project_name": "年产5万吨特种电缆",
        "reserve-industry_code": "C3831",
        "reserve-total_investment_wan": "12000",
        "reserve-investment_per_mu": "200",
        "reserve-tax_per_mu": "30",
        "reserve-energy_per_output": "0.3",
        "reserve-emissions_tpa": "5",
    }
    refused = client.post(reverse("land:reserve", args=[parcel.pk]), form)
    assert refused.status_code == 200
    assert 'data-error-for="investment_per_mu"' in refused.content.decode()
    assert not Reservation.objects.exists()
    response = client.post(
        reverse("land:reserve", args=[parcel.pk]), {**form, "reserve-investment_per_mu": "400"}
    )
    row = Reservation.objects.get()
    assert response["Location"] == row.get_absolute_url()
    assert (row.enterprise, row.total_investment) == (world.home.enterprise, 120_000_000)
    again = client.post(reverse("land:reserve", args=[parcel.pk]), form)
    assert "预订此地块" not in again.content.decode()  # taken: no form any more


def test_the_office_lists_and_deals_from_the_reservation_page(world: World) -> None:
    row = make_reservation(world, ReservationState.APPROVED)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    page = client.get(row.get_absolute_url()).content.decode()
    assert 'data-testid="step-list"' in page and 'data-testid="step-release"' in page
    client.post(
        reverse("land:step", args=[row.pk, "list"]),
        {"list-expected_version": 1, "list-listing_starts": "2026-03-05", "list-listing_ends": "2026-03-20"},
    )
    bad = client.post(
        reverse("land:step", args=[row.pk, "deal"]),
        {"deal-expected_version": 2, "deal-deal_price": "100", "deal-contract_no": "C-1"},
    )
    assert 'data-error-for="deal_price"' in bad.content.decode()
    row.refresh_from_db()
    assert row.state == ReservationState.LISTED


def test_selection_ranks_the_parcels_with_reasons(world: World) -> None:
    make_parcel(world, code="XT-FIT")
    make_parcel(world, code="XT-SMALL", boundary=rectangle(50, 50, LON + 0.3))
    page = (
        client_for(world.user(Role.ENTERPRISE))
        .get(
            reverse("land:select"),
            {
                "area_min": "20",
                "area_max": "40",
                "land_use": "0601",
                "investment_per_mu": "350",
                "tax_per_mu": "25",
                "energy_per_output": "0.3",
                "emissions_tpa": "4",
            },
        )
        .content.decode()
    )
    assert page.index('data-code="XT-FIT" data-verdict="eligible"') < page.index(
        'data-code="XT-SMALL" data-verdict="ineligible"'
    )
    assert "面积：3.75 亩（要求 ≥ 20 亩，≤ 40 亩）" in page


def test_the_import_page_lists_every_problem_and_saves_nothing(world: World) -> None:
    import json

    good = {
        "type": "Feature",
        "geometry": rectangle(100, 100),
        "properties": {"code": "I-1", "location": "书院路", "land_use": "0601", "price": 1, "area_m2": 10000},
    }
    bad = {
        "type": "Feature",
        "geometry": rectangle(100, 100, LON + 0.01),
        "properties": {"code": "I-2", "location": "书院路", "land_use": "0601", "price": 1, "area_m2": 13000},
    }
    client = client_for(world.user(Role.SERVICE_OFFICE))
    page = client.post(
        reverse("land:import"), {"text": json.dumps({"type": "FeatureCollection", "features": [good, bad]})}
    ).content.decode()
    assert 'data-testid="problems"' in page and "第 2 个要素（I-2） area_m2" in page
    assert not Parcel.objects.exists()
    client.cookies["django_language"] = "en"
    page = client.post(
        reverse("land:import"), {"text": json.dumps({"type": "FeatureCollection", "features": [good, bad]})}
    ).content.decode()
    assert "Feature 2 (I-2) area_m2: The stated area" in page and "要素" not in page
    client.cookies["django_language"] = "zh-hans"
    response = client.post(
        reverse("land:import"),
        {"text": json.dumps({"type": "FeatureCollection", "features": [good]}), "publish": "on"},
    )
    assert response.status_code == 302
    assert Parcel.objects.get().state == ParcelStatus.AVAILABLE
    assert client_for(world.user(Role.ENTERPRISE)).get(reverse("land:import")).status_code == 403


def test_the_geojson_download_is_scoped_and_filtered(world: World) -> None:
    make_parcel(world, code="XT-G1")
    make_parcel(world, ParcelStatus.SOLD, code="XT-G2")
    make_parcel(world, side=world.other, code="JK-G3")
    response = client_for(world.user(Role.ENTERPRISE)).get(reverse("land:geojson"), {"state": "available"})
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in body["features"]] == ["XT-G1"]


def test_the_code_page_asks_for_the_enterprise_s_phone_first(world: World) -> None:
    make_reservation(world)
    url = reverse("codes:land_list", args=[world.home.enterprise.code_token])
    response = Client().get(url)
    assert response.status_code == 302
    assert reverse("codes:confirm_phone", args=[world.home.enterprise.code_token]) in response["Location"]


def test_the_office_picks_the_reserving_enterprise_by_search_within_its_park(world: World) -> None:
    parcel = make_parcel(world)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    page = client.get(parcel.get_absolute_url()).content.decode()
    picker = next(
        tag for tag in page.split("<select")[1:] if 'name="reserve-enterprise"' in tag.split(">")[0]
    )
    assert f'data-picker="{reverse("enterprises:pick")}"' in picker
    # Only the chosen option is rendered: the park's enterprises are searched, not listed.
    assert world.home.enterprise.name not in page.split('data-testid="reserve"')[1].split("</form>")[0]
    found = client.get(reverse("enterprises:pick"), {"q": world.home.enterprise.name[:4]}).content.decode()
    assert world.home.enterprise.name in found and world.other.enterprise.name not in found
    form = {
        "reserve-project_name": "年产5万吨特种电缆",
        "reserve-industry_code": "C3831",
        "reserve-total_investment_wan": "12000",
        "reserve-investment_per_mu": "400",
        "reserve-tax_per_mu": "30",
        "reserve-energy_per_output": "0.3",
        "reserve-emissions_tpa": "5",
    }
    refused = client.post(
        reverse("land:reserve", args=[parcel.pk]), {**form, "reserve-enterprise": world.other.enterprise.pk}
    )
    assert 'data-error-for="enterprise"' in refused.content.decode()
    assert not Reservation.objects.exists()
    client.post(
        reverse("land:reserve", args=[parcel.pk]), {**form, "reserve-enterprise": world.home.enterprise.pk}
    )
    assert Reservation.objects.get().enterprise == world.home.enterprise


def sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_the_parcels_export_as_filtered_and_only_the_user_s_own(world: World) -> None:
    make_parcel(world, code="XT-IND", land_use="0601")
    make_parcel(world, code="XT-BIZ", land_use="0505")
    make_parcel(world, side=world.other, code="JK-OTHER")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    assert reverse("land:export") in client.get(reverse("land:map")).content.decode()
    rows = sheet_rows(client.get(reverse("land:export"), {"land_use": "0601"}))
    assert rows[0][:2] == ("地块编号", "坐落") and len(rows) == 2
    code, _location, zone, use, area_mu, *_rest = rows[1]
    assert (code, zone, use, str(area_mu)) == ("XT-IND", "先进制造产业园", "工业用地", "30")
    other = sheet_rows(client_for(world.other_user(Role.SERVICE_OFFICE)).get(reverse("land:export")))
    assert [r[0] for r in other[1:]] == ["JK-OTHER"]


def test_the_reservations_export_with_the_promises_and_the_deal(world: World) -> None:
    row = make_reservation(world, ReservationState.DEALT)
    client = client_for(world.user(Role.LEADER))
    assert reverse("land:reservations_export") in client.get(reverse("land:reservations")).content.decode()
    rows = sheet_rows(client.get(reverse("land:reservations_export")))
    assert rows[1][:3] == (row.parcel.code, world.home.enterprise.name, "年产5万吨特种电缆")
    assert rows[1][-1] == "湘潭高新〔2026〕12号" and str(rows[1][-2]) == "6100000"
    assert (
        len(sheet_rows(client_for(world.other_user(Role.LEADER)).get(reverse("land:reservations_export"))))
        == 1
    )


def test_an_english_page_gives_the_selection_reasons_in_english(world: World) -> None:
    make_parcel(world, code="XT-FIT")
    client = client_for(world.user(Role.ENTERPRISE))
    page = client.get(
        reverse("land:select"), {"land_use": "0601"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    reason = page.split('data-check="land_use"')[1].split("</li>")[0]
    assert "Land use" in reason and "用地性质" not in reason
    chinese = client.get(reverse("land:select"), {"land_use": "0601"}).content.decode()
    assert "用地性质：工业用地（要求 工业用地）" in chinese
