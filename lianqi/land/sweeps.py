"""The land supermarket's periodic check: reservations whose hold ran out release themselves.

A plain function of the moment `at` (run by `manage.py run_land_sweeps`, from cron or as a
loop beside the demand sweeps), idempotent: each reservation is locked and checked again
before it expires, so a sweep running twice, or from two processes, expires it once. A
reservation held until day D (`expires_on`, counted in working days) expires when the
Shanghai date is later than D: on the day after, whatever day of the week that is."""

from __future__ import annotations

import datetime as dt

from lianqi.core import workdays

from .actions import expire_reservation
from .choices import EXPIRING_STATES
from .models import Reservation


def release_expired(*, at: dt.datetime) -> int:
    """Expire every reservation held past its last working day; returns how many."""
    today = workdays.shanghai_date(at)
    due = Reservation.objects.filter(state__in=EXPIRING_STATES, expires_on__lt=today).order_by(
        "expires_on", "pk"
    )
    return sum(expire_reservation(reservation_id=pk, at=at) for pk in due.values_list("pk", flat=True))


SWEEPS = (release_expired,)


def run_all(*, at: dt.datetime) -> dict[str, int]:
    return {sweep.__name__: sweep(at=at) for sweep in SWEEPS}
