"""Every read of the land supermarket that matters: the parcels through their filters, the
map's parcels and the GeoJSON of them, selection's offers, the reservations, histories, and
the figures of the home page and the measures."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse

from lianqi.core.registry import Period
from lianqi.enterprises.models import Enterprise

from . import selection
from .choices import OPEN_STATES, STATUS_COLOURS, USE_COLOURS, LandUse, ParcelStatus
from .filters import ParcelFilter, ReservationFilter
from .mapping import MapParcel
from .models import Parcel, ParcelEvent, Reservation, ReservationEvent
from .permissions import visible, visible_parcels

#: The columns the map and the GeoJSON read (no more: 5,000 parcels are drawn at once).
MAP_COLUMNS = (
    "pk",
    "code",
    "location",
    "zone",
    "boundary",
    "state",
    "land_use",
    "area_mu",
    "area_m2",
    "price",
    "price_kind",
    "power_kva",
)


def parcel_list(user: Any, params: Mapping[str, Any] | None = None) -> ParcelFilter:
    """The parcels a user may see through the filters: `form` for the page, `qs` for the rows."""
    return ParcelFilter(params or None, queryset=visible_parcels(user))


def map_parcels(user: Any, params: Mapping[str, Any] | None = None) -> tuple[ParcelFilter, list[MapParcel]]:
    """Every parcel the user may see as the map draws it; those the filters leave out dimmed."""
    found = parcel_list(user, params)
    chosen = set(found.qs.values_list("pk", flat=True)) if found.is_bound else None
    states = dict(ParcelStatus.choices)
    uses = dict(LandUse.choices)
    base = reverse("land:parcel", args=[0])[:-2]
    rows = []
    for row in visible_parcels(user).order_by("code").values(*MAP_COLUMNS):
        title = (
            f"{row['code']} · {row['location']} · {uses.get(row['land_use'], row['land_use'])} · "
            f"{row['area_mu']} 亩 · {states.get(row['state'], row['state'])}"
        )
        rows.append(
            MapParcel(
                pk=row["pk"],
                code=row["code"],
                rings=row["boundary"]["coordinates"],
                fill=STATUS_COLOURS.get(row["state"], "#adb5bd"),
                stroke=USE_COLOURS.get(row["land_use"], "#475569"),
                url=f"{base}{row['pk']}/",
                title=title,
                dimmed=chosen is not None and row["pk"] not in chosen,
            )
        )
    return found, rows


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def feature_collection(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Parcels (as `MAP_COLUMNS` values) as a GeoJSON FeatureCollection in WGS84."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row["pk"],
                "geometry": row["boundary"],
                "properties": {
                    "id": row["pk"],
                    "code": row["code"],
                    "location": row["location"],
                    "zone": row["zone"],
                    "state": row["state"],
                    "land_use": row["land_use"],
                    "area_mu": _number(row["area_mu"]),
                    "area_m2": _number(row["area_m2"]),
                    "price": _number(row["price"]),
                    "price_kind": row["price_kind"],
                    "power_kva": row["power_kva"],
                },
            }
            for row in rows
        ],
    }


def geojson_of(queryset: QuerySet[Parcel]) -> dict[str, Any]:
    return feature_collection(queryset.order_by("code", "pk").values(*MAP_COLUMNS))


def geojson_text(queryset: QuerySet[Parcel]) -> str:
    return json.dumps(geojson_of(queryset), ensure_ascii=False, separators=(",", ":"))


#: The columns selection reads.
OFFER_COLUMNS = (
    "pk",
    "code",
    "state",
    "area_mu",
    "land_use",
    "price",
    "zone",
    "barred_industries",
    "power_kva",
    "water_tpd",
    "gas",
    "sewage",
    "road",
    "investment_per_mu_min",
    "tax_per_mu_min",
    "energy_per_output_max",
    "emissions_max",
)


def offers(queryset: QuerySet[Parcel]) -> list[selection.Offer]:
    """The parcels as selection reads them (numbers as floats, labels in the reader's language)."""
    states = dict(ParcelStatus.choices)
    uses = dict(LandUse.choices)
    return [
        selection.Offer(
            pk=r["pk"],
            code=r["code"],
            state=r["state"],
            area_mu=float(r["area_mu"]),
            land_use=r["land_use"],
            price=float(r["price"]),
            zone=r["zone"],
            barred=tuple(r["barred_industries"].split()),
            power_kva=r["power_kva"],
            water_tpd=r["water_tpd"],
            gas=r["gas"],
            sewage=r["sewage"],
            road=bool(r["road"]),
            investment_per_mu_min=_number(r["investment_per_mu_min"]),
            tax_per_mu_min=_number(r["tax_per_mu_min"]),
            energy_per_output_max=_number(r["energy_per_output_max"]),
            emissions_max=_number(r["emissions_max"]),
            state_label=str(states.get(r["state"], r["state"])),
            use_label=str(uses.get(r["land_use"], r["land_use"])),
        )
        for r in queryset.values(*OFFER_COLUMNS)
    ]


def parcel_history(row: Parcel) -> QuerySet[ParcelEvent]:
    return row.events.select_related("actor").order_by("at", "pk")


def parcel_reservations(user: Any, row: Parcel) -> QuerySet[Reservation]:
    return visible(user).filter(parcel=row).select_related("enterprise").order_by("-created_at", "-pk")


def reservation_list(user: Any, params: Mapping[str, Any] | None = None) -> ReservationFilter:
    return ReservationFilter(params or None, queryset=visible(user).select_related("enterprise", "parcel"))


def history(row: Reservation) -> QuerySet[ReservationEvent]:
    return row.events.select_related("actor").order_by("at", "pk")


def for_enterprise(user: Any, enterprise: Enterprise) -> QuerySet[Reservation]:
    return visible(user).filter(enterprise=enterprise).select_related("parcel")


def open_for_enterprise(enterprise: Enterprise) -> QuerySet[Reservation]:
    return Reservation.objects.filter(enterprise=enterprise, state__in=OPEN_STATES).select_related("parcel")


def open_count(user: Any) -> int:
    """Reservations the user may see still waiting on someone (the home page's card)."""
    return visible(user).filter(state__in=OPEN_STATES).count()


def status_summary(user: Any) -> list[tuple[str, str, int, Decimal]]:
    """Per status: its label, colour, how many parcels and how many mu the user may see."""
    rows = {
        r["state"]: r
        for r in visible_parcels(user).values("state").annotate(n=Count("pk"), mu=Sum("area_mu")).order_by()
    }
    out = []
    for state in ParcelStatus:
        row = rows.get(state.value)
        out.append(
            (state.label, STATUS_COLOURS[state], row["n"] if row else 0, row["mu"] if row else Decimal(0))
        )
    return out


def available_mu(jurisdiction_path: str, period: Period) -> Decimal:
    """Mu on the shelf now in a jurisdiction and those below it (a measure; the period is the
    moment it is read at, as a stock)."""
    total = Parcel.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path, state=ParcelStatus.AVAILABLE
    ).aggregate(mu=Sum("area_mu"))["mu"]
    return total or Decimal(0)


def reserved_count(jurisdiction_path: str, period: Period) -> int:
    """Reservations made in `period` in a jurisdiction and those below it (a measure)."""
    return Reservation.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path,
        reserved_on__gte=period.start,
        reserved_on__lte=period.end,
    ).count()


def sold_mu(jurisdiction_path: str, period: Period) -> Decimal:
    """Mu dealt in `period` (a measure)."""
    total = Reservation.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path,
        dealt_on__gte=period.start,
        dealt_on__lte=period.end,
    ).aggregate(mu=Sum("parcel__area_mu"))["mu"]
    return total or Decimal(0)
