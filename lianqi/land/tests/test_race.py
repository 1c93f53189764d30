"""Two enterprises reserve the same parcel at the same moment, on PostgreSQL: each loaded the
parcel as available, both press 预订 together. Exactly one reservation is made; the other is
refused naming the parcel, and the parcel holds one active reservation.

Real concurrency needs real row locks and a connection per thread, so this runs on PostgreSQL
only; SQLite serialises whole-database writes and would prove nothing about the lock or the
partial unique index."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from lianqi.core.roles import Role
from lianqi.testing.world import make_enterprise, make_user

from .. import actions
from ..choices import ACTIVE_STATES, ParcelStatus
from ..models import Parcel, Reservation
from .factories import PROJECT, make_parcel

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks and one connection per thread (SQLite locks the whole file)",
    ),
]

ROUNDS = 6


@dataclass
class Outcomes:
    won: list[str] = field(default_factory=list)
    refused: dict[str, ValidationError] = field(default_factory=dict)
    errors: list[BaseException] = field(default_factory=list)


def race(parcel_pk: int, contenders: dict[str, tuple[Any, Any]]) -> Outcomes:
    barrier = threading.Barrier(len(contenders), timeout=20)
    outcomes = Outcomes()
    lock = threading.Lock()

    def run(name: str, actor: Any, enterprise: Any) -> None:
        try:
            loaded = Parcel.objects.get(pk=parcel_pk)
            barrier.wait()
            actions.reserve_parcel(parcel=loaded, enterprise=enterprise, project=PROJECT, actor=actor)
            with lock:
                outcomes.won.append(name)
        except ValidationError as exc:
            with lock:
                outcomes.refused[name] = exc
        except BaseException as exc:
            with lock:
                outcomes.errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(name, *who)) for name, who in contenders.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a contender is still waiting on the row lock"
    return outcomes


def test_two_enterprises_reserve_the_same_parcel_at_once(world: Any) -> None:
    second = make_enterprise(world.home.park, "湘潭高新区第二电机有限公司")
    second_user = make_user("home_enterprise_2", Role.ENTERPRISE, world.home.park, enterprise=second)
    contenders = {
        "first": (world.user(Role.ENTERPRISE), world.home.enterprise),
        "second": (second_user, second),
    }
    for _ in range(ROUNDS):
        parcel = make_parcel(world)
        outcomes = race(parcel.pk, contenders)
        assert outcomes.errors == []
        assert len(outcomes.won) == 1 and len(outcomes.refused) == 1, outcomes
        (refused,) = outcomes.refused.values()
        assert "parcel" in refused.message_dict and "已预订" in refused.message_dict["parcel"][0]
        active = Reservation.objects.filter(parcel=parcel, state__in=ACTIVE_STATES)
        assert active.count() == 1
        winner = contenders[outcomes.won[0]][1]
        assert active.get().enterprise == winner
        assert Parcel.objects.get(pk=parcel.pk).state == ParcelStatus.RESERVED
