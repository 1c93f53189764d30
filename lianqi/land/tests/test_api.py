"""The land supermarket's API: one shared contract per endpoint, the parcels as GeoJSON,
reserving (400 naming the field), and the reservations' steps (409 when stale or not allowed)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World

from ..choices import ParcelStatus, ReservationState
from ..models import Parcel, Reservation
from ..permissions import READERS, RESERVERS
from .factories import make_parcel, make_reservation

RESERVE = {
    "project_name": "风电装备关键部件",
    "industry_code": "C3415",
    "total_investment": "150000000.00",
    "investment_per_mu": "400",
    "tax_per_mu": "30",
    "energy_per_output": "0.3",
    "emissions_tpa": "5",
}


class TestParcelListContract(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def marker(self, world: World) -> str:
        return "XT-API"

    def url(self, world: World) -> str:
        if not Parcel.objects.filter(code="XT-API").exists():
            make_parcel(world, code="XT-API")
        return reverse("api:land-parcel-list")


class TestParcelDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:land-parcel-detail", args=[make_parcel(world).pk])


class TestReserveContract(ApiObjectContract):
    method = "post"
    ok_statuses = (201,)
    allowed_roles = RESERVERS
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("api:land-parcel-reserve", args=[make_parcel(world).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {**RESERVE, "enterprise": world.home.enterprise.pk}


class TestReservationListContract(ApiListContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        make_reservation(world)
        return reverse("api:land-reservation-list")


class TestReservationDetailContract(ApiObjectContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:land-reservation-detail", args=[make_reservation(world).pk])


class TestStepContract(ApiObjectContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE, Role.LEADER)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("api:land-reservation-step", args=[make_reservation(world).pk, "approve"])

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": 1}


def _post(world: World, role: str, url: str, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(world.user(role))
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_parcels_are_a_feature_collection(world: World) -> None:
    parcel = make_parcel(world, code="XT-F1")
    make_parcel(world, ParcelStatus.SOLD, code="XT-F2")
    client = Client()
    client.force_login(world.user(Role.ENTERPRISE))
    body = client.get(reverse("api:land-parcel-list"), {"state": "available"}).json()
    assert body["type"] == "FeatureCollection"
    [feature] = body["features"]
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Polygon"
    assert feature["geometry"]["coordinates"] == parcel.boundary["coordinates"]
    assert feature["properties"]["code"] == "XT-F1" and feature["properties"]["area_mu"] == float(
        parcel.area_mu
    )
    one = client.get(reverse("api:land-parcel-detail", args=[parcel.pk])).json()
    assert one["properties"]["investment_per_mu_min"] == 300.0 and one["properties"]["gas"] is True
    assert client.get(reverse("api:land-parcel-list"), {"colour": "red"}).status_code == 400


def test_reserving_answers_the_reservation_and_a_second_is_a_400_naming_the_parcel(world: World) -> None:
    parcel = make_parcel(world)
    url = reverse("api:land-parcel-reserve", args=[parcel.pk])
    created = _post(world, Role.ENTERPRISE, url, RESERVE)
    assert created.status_code == 201
    assert (created.json()["state"], created.json()["parcel_code"]) == ("requested", parcel.code)
    again = _post(world, Role.SERVICE_OFFICE, url, {**RESERVE, "enterprise": world.home.enterprise.pk})
    assert again.status_code == 400
    assert "parcel" in again.json()["error"]["fields"]
    low = _post(
        world,
        Role.ENTERPRISE,
        reverse("api:land-parcel-reserve", args=[make_parcel(world).pk]),
        {**RESERVE, "tax_per_mu": "1"},
    )
    assert low.status_code == 400 and "tax_per_mu" in low.json()["error"]["fields"]
    assert Reservation.objects.count() == 1


def test_a_step_answers_the_moved_reservation_and_a_stale_one_is_a_conflict(world: World) -> None:
    row = make_reservation(world, ReservationState.LISTED)
    url = reverse("api:land-reservation-step", args=[row.pk, "deal"])
    missing = _post(world, Role.SERVICE_OFFICE, url, {"expected_version": 1})
    assert missing.status_code == 400 and "contract_no" in missing.json()["error"]["fields"]
    done = _post(
        world,
        Role.SERVICE_OFFICE,
        url,
        {"expected_version": 1, "deal_price": "6500000", "contract_no": "C-7"},
    )
    assert done.status_code == 200 and done.json()["state"] == "dealt"
    stale = _post(
        world,
        Role.SERVICE_OFFICE,
        reverse("api:land-reservation-step", args=[row.pk, "hand_over"]),
        {"expected_version": 1},
    )
    assert stale.status_code == 409
