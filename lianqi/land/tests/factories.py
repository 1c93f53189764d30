"""Builders for the land supermarket's tests: a rectangle of a given size in metres at a
point (so an area is known before it is measured), a parcel placed directly in any status,
a reservation in any state, and a project that satisfies a parcel's indicators."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from lianqi.core.workdays import SHANGHAI
from lianqi.testing.world import Side, World

from .. import geometry
from ..actions import ProjectFigures
from ..choices import LandUse, ParcelStatus, ReservationState
from ..models import M2_PER_MU, Parcel, Reservation

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)  # a Monday
#: Near the home park (湘潭高新区).
LON, LAT = 112.96, 27.85


def rectangle(width_m: float, height_m: float, lon: float = LON, lat: float = LAT) -> dict[str, Any]:
    """A GeoJSON Polygon `width_m` east by `height_m` north from (lon, lat), on the ellipsoid's
    local radii, so its area is width × height to a few parts per million."""
    a, e2 = 6378137.0, geometry._E2
    phi = math.radians(lat)
    w = 1 - e2 * math.sin(phi) ** 2
    meridian = a * (1 - e2) / w**1.5
    normal = a / math.sqrt(w)
    dlat = math.degrees(height_m / meridian)
    dlon = math.degrees(width_m / (normal * math.cos(phi)))
    ring = [[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


_counter = {"n": 0}


def make_parcel(
    world: World, state: str = ParcelStatus.AVAILABLE, side: Side | None = None, **fields: Any
) -> Parcel:
    """A 200 m × 100 m industrial parcel (2 ha, 30 mu) of the home park unless told otherwise."""
    side = side or world.home
    _counter["n"] += 1
    shape = geometry.polygon(fields.pop("boundary", rectangle(200, 100, LON + 0.01 * (_counter["n"] % 50))))
    lon, lat = shape.centre()
    area = Decimal(f"{shape.area_m2():.2f}")
    values: dict[str, Any] = {
        "jurisdiction": side.park,
        "code": f"XT-{_counter['n']:04d}",
        "location": "高新区晓塘路与杉山路交汇处东北角",
        "zone": "先进制造产业园",
        "barred_industries": "C25 C26",
        "boundary": shape.geojson(),
        "centre_lon": lon,
        "centre_lat": lat,
        "area_m2": area,
        "area_mu": (area / M2_PER_MU).quantize(Decimal("0.01")),
        "land_use": LandUse.INDUSTRIAL,
        "plot_ratio_min": Decimal("1.2"),
        "plot_ratio_max": Decimal("2.5"),
        "building_density_max": Decimal("60"),
        "height_limit_m": Decimal("50"),
        "price": Decimal("6000000.00"),
        "power_kva": 2000,
        "water_tpd": 500,
        "gas": True,
        "sewage": True,
        "road": "临晓塘路（主干道）",
        "investment_per_mu_min": Decimal("300"),
        "tax_per_mu_min": Decimal("20"),
        "energy_per_output_max": Decimal("0.5"),
        "emissions_max": Decimal("10"),
        "state": state,
    }
    values.update(fields)
    return Parcel.objects.create(**values)


PROJECT = ProjectFigures(
    project_name="年产5万吨特种电缆",
    industry_code="C3831",
    total_investment=Decimal("120000000.00"),
    investment_per_mu=Decimal("400"),
    tax_per_mu=Decimal("30"),
    energy_per_output=Decimal("0.3"),
    emissions_tpa=Decimal("5"),
)


def make_reservation(
    world: World, state: str = ReservationState.REQUESTED, parcel: Parcel | None = None, **fields: Any
) -> Reservation:
    """A reservation of the home enterprise placed directly in `state`, its parcel moved to match."""
    moved: dict[str, str] = {
        ReservationState.LISTED: ParcelStatus.IN_TRANSACTION,
        ReservationState.DEALT: ParcelStatus.SOLD,
        ReservationState.HANDED_OVER: ParcelStatus.SOLD,
        ReservationState.RELEASED: ParcelStatus.AVAILABLE,
        ReservationState.EXPIRED: ParcelStatus.AVAILABLE,
    }
    parcel = parcel or make_parcel(world, moved.get(state, ParcelStatus.RESERVED))
    values: dict[str, Any] = {
        "jurisdiction": parcel.jurisdiction,
        "parcel": parcel,
        "enterprise": world.home.enterprise,
        "project_name": PROJECT.project_name,
        "industry_code": PROJECT.industry_code,
        "total_investment": PROJECT.total_investment,
        "investment_per_mu": PROJECT.investment_per_mu,
        "tax_per_mu": PROJECT.tax_per_mu,
        "energy_per_output": PROJECT.energy_per_output,
        "emissions_tpa": PROJECT.emissions_tpa,
        "state": state,
        "reserved_on": AT.date(),
        "expires_on": dt.date(2026, 3, 16),
    }
    if state in (ReservationState.LISTED, ReservationState.DEALT, ReservationState.HANDED_OVER):
        values.update(listing_starts=dt.date(2026, 3, 5), listing_ends=dt.date(2026, 3, 20))
    if state in (ReservationState.DEALT, ReservationState.HANDED_OVER):
        values.update(deal_price=Decimal("6100000.00"), contract_no="湘潭高新〔2026〕12号")
    values.update(fields)
    return Reservation.objects.create(**values)
