"""Every read of the land supermarket that matters: the parcels through their filters, the
map's parcels and the GeoJSON of them, selection's offers, the reservations, histories, and
the figures of the home page and the measures."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast

from django.db import connections
from django.db.models import Count, FloatField, QuerySet, Sum, TextField
from django.db.models.functions import Cast
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


#: The columns the GeoJSON reads as they are; the boundary comes as its stored text and the
#: figures as floats, converted by the database (no JSON decoded and encoded again, no
#: Decimal made), which is what keeps 5,000 parcels in a few hundred milliseconds.
GEO_COLUMNS = ("pk", "code", "location", "zone", "state", "land_use", "price_kind", "power_kva")
_FLOAT = FloatField()


def _fetch(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` query read straight from the cursor: the database already
    converted every column (floats, the boundary's text), so Django's per-row converters add
    nothing but time at a park's thousands of parcels."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_float(name: str) -> Cast:
    return Cast(name, _FLOAT)


def geojson_text(queryset: QuerySet[Parcel]) -> str:
    """Parcels as a GeoJSON FeatureCollection in WGS84, as text (the boundaries spliced in as
    stored, each feature's properties encoded here)."""
    rows = _fetch(
        queryset.order_by("code", "pk")
        .annotate(
            geometry_text=Cast("boundary", TextField()),
            mu=_as_float("area_mu"),
            m2=_as_float("area_m2"),
            price_yuan=_as_float("price"),
        )
        .values_list(*GEO_COLUMNS, "geometry_text", "mu", "m2", "price_yuan")
    )
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    parts = []
    for pk, code, location, zone, state, use, kind, kva, geometry_text, mu, m2, price in rows:
        properties = dumps(
            {
                "id": pk,
                "code": code,
                "location": location,
                "zone": zone,
                "state": state,
                "land_use": use,
                "area_mu": mu,
                "area_m2": m2,
                "price": price,
                "price_kind": kind,
                "power_kva": kva,
            }
        )
        parts.append(f'{{"type":"Feature","id":{pk},"geometry":{geometry_text},"properties":{properties}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


def geojson_of(queryset: QuerySet[Parcel]) -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(geojson_text(queryset)))


#: The columns selection reads, the figures as floats from the database.
OFFER_COLUMNS = (
    "pk",
    "code",
    "state",
    "land_use",
    "zone",
    "barred_industries",
    "power_kva",
    "water_tpd",
    "gas",
    "sewage",
    "road",
)
OFFER_FIGURES = (
    "area_mu",
    "price",
    "investment_per_mu_min",
    "tax_per_mu_min",
    "energy_per_output_max",
    "emissions_max",
)


def offers(queryset: QuerySet[Parcel]) -> list[selection.Offer]:
    """The parcels as selection reads them (labels in the reader's language)."""
    states = {value: str(label) for value, label in ParcelStatus.choices}
    uses = {value: str(label) for value, label in LandUse.choices}
    figures = {f"f_{name}": _as_float(name) for name in OFFER_FIGURES}
    rows = _fetch(queryset.order_by().annotate(**figures).values_list(*OFFER_COLUMNS, *figures))
    Offer = selection.Offer
    return [
        Offer(
            pk,
            code,
            state,
            mu,
            use,
            price,
            zone,
            tuple(barred.split()),
            kva,
            water,
            bool(gas),
            bool(sewage),
            bool(road),
            invest,
            tax,
            energy,
            emissions,
            states.get(state, state),
            uses.get(use, use),
        )
        for (
            pk,
            code,
            state,
            use,
            zone,
            barred,
            kva,
            water,
            gas,
            sewage,
            road,
            mu,
            price,
            invest,
            tax,
            energy,
            emissions,
        ) in rows
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
            (
                str(state.label),
                STATUS_COLOURS[state],
                row["n"] if row else 0,
                row["mu"] if row else Decimal(0),
            )
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
