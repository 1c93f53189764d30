"""Reservations release themselves once their hold has run out, counted in working days
around the 2026 Spring Festival (15–23 February off, Saturdays 14 and 28 February worked)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command

from lianqi.core.workdays import SHANGHAI
from lianqi.testing.world import World

from .. import actions, sweeps
from ..choices import ParcelStatus, ReservationState
from ..models import Parcel, Reservation, ReservationEvent
from .factories import PROJECT, make_parcel, make_reservation


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def test_a_reservation_expires_the_day_after_its_last_working_day(world: World) -> None:
    parcel = make_parcel(world)
    row = actions.reserve_parcel(
        parcel=parcel,
        enterprise=world.home.enterprise,
        project=PROJECT,
        actor=world.user("enterprise"),
        at=at(2, 12),
    )
    assert row.expires_on == dt.date(2026, 3, 4)
    # Mon–Fri alone would have ended it on 26 February: the holiday does not count.
    assert sweeps.release_expired(at=at(2, 27)) == 0
    assert sweeps.release_expired(at=at(3, 4, 23)) == 0
    assert sweeps.release_expired(at=at(3, 5, 0)) == 1
    row.refresh_from_db()
    parcel.refresh_from_db()
    assert (row.state, row.version, parcel.state) == (ReservationState.EXPIRED, 2, ParcelStatus.AVAILABLE)
    event = ReservationEvent.objects.get(reservation=row, action="expire")
    assert (event.actor, event.by_enterprise) == (None, False)
    assert "2026-03-04" in event.note
    # Twice is once.
    assert sweeps.release_expired(at=at(3, 6)) == 0
    assert ReservationEvent.objects.filter(reservation=row, action="expire").count() == 1


def test_listed_and_dealt_reservations_do_not_expire(world: World) -> None:
    past = dt.date(2026, 1, 5)
    make_reservation(world, ReservationState.LISTED, expires_on=past)
    make_reservation(world, ReservationState.DEALT, expires_on=past)
    approved = make_reservation(world, ReservationState.APPROVED, expires_on=past)
    assert sweeps.release_expired(at=at(3, 2)) == 1
    assert set(Reservation.objects.values_list("state", flat=True)) == {"listed", "dealt", "expired"}
    assert Parcel.objects.get(pk=approved.parcel_id).state == ParcelStatus.AVAILABLE


def test_the_command_sweeps_at_a_given_moment(world: World) -> None:
    make_reservation(world, expires_on=dt.date(2026, 3, 3))
    out = StringIO()
    call_command("run_land_sweeps", "--at", "2026-03-04T09:00+08:00", stdout=out)
    assert out.getvalue().strip() == "release_expired=1"
