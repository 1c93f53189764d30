"""The demo's land supermarket, built on the test world's park: about 150 parcels imported
from one export, on the shelf or further along, the same every time."""

from __future__ import annotations

import datetime as dt
import random

from lianqi.core.roles import Role
from lianqi.demo import land as demo
from lianqi.testing.world import World

from .. import geometry
from ..choices import ParcelStatus, ReservationState
from ..models import Parcel, Reservation


def test_the_blocks_are_drawn_the_same_every_time_and_every_parcel_is_valid() -> None:
    first = demo._features(random.Random("land-2022"), 150)
    assert first == demo._features(random.Random("land-2022"), 150)
    assert len(first) == 150 and len({f["properties"]["code"] for f in first}) == 150
    reading = geometry.read_features({"type": "FeatureCollection", "features": first})
    assert reading.ok, reading.problems[:3]
    # Neighbours share their edges: no two parcels of a block overlap (their areas add up to
    # at most the block's).
    block = [f for f in reading.features if f.properties["code"].startswith("XTGX-0101")]
    assert sum(f.area_m2 for f in block) <= demo.BLOCK_W * demo.BLOCK_H


def test_the_demo_builds_the_shelf_and_its_reservations(world: World) -> None:
    today = dt.date(2026, 12, 4)
    figures = demo.build_demo_land(
        park=world.home.park, seed=2022, scale=1.0, today=today, office=world.user(Role.SERVICE_OFFICE)
    )
    assert figures.parcels == Parcel.objects.count() == 150
    states = figures.by_state
    assert states[ParcelStatus.AVAILABLE] > 60
    for state in (
        ParcelStatus.PLANNED,
        ParcelStatus.RESERVED,
        ParcelStatus.IN_TRANSACTION,
        ParcelStatus.SOLD,
        ParcelStatus.BUILT,
    ):
        assert states.get(state, 0) > 0, state
    # Reservations still held end after today: a sweep run now releases none of them.
    held = Reservation.objects.filter(state__in=(ReservationState.REQUESTED, ReservationState.APPROVED))
    assert held.exists() and all(r.expires_on >= today for r in held)
    assert all(
        (r.deal_price or 0) >= r.parcel.price
        for r in Reservation.objects.filter(state=ReservationState.HANDED_OVER)
    )
