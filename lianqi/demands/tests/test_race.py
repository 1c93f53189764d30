"""Two people acting on the same demand at the same moment, on PostgreSQL: each loaded the same
version, both press their button together. Exactly one step goes through; the other is refused
with `StaleVersion`, told who changed the demand and where it stands now, and nothing of the
loser is written (no lost update).

Real concurrency needs real row locks and a connection per thread, so this runs on PostgreSQL
only; SQLite serialises whole-database writes and would prove nothing about the row lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection, connections

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.core.workflow import StaleVersion
from lianqi.org.models import Department
from lianqi.testing.world import make_user

from .. import actions
from ..choices import DemandState, Outcome
from ..models import Category, Demand, DemandEvent
from .factories import AT, handler, make_demand

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks and one connection per thread (SQLite locks the whole file)",
    ),
]

#: Rounds per test: a race that only one ordering of the threads would lose shows up here.
ROUNDS = 6

Step = Callable[[Demand], Demand]


@pytest.fixture(autouse=True)
def catalogue(db: Any) -> None:
    """A transactional test starts from flushed tables: the seeded category is gone."""
    Category.objects.get_or_create(name="融资困难")


@dataclass
class Outcomes:
    """What each contender's thread ended with."""

    won: list[str] = field(default_factory=list)
    stale: dict[str, StaleVersion] = field(default_factory=dict)
    errors: list[BaseException] = field(default_factory=list)


def race(demand_pk: int, contenders: dict[str, Step]) -> Outcomes:
    """Run each contender in its own thread (so on its own database connection): each loads
    the demand, waits at the barrier until all have loaded the same version, then acts."""
    barrier = threading.Barrier(len(contenders), timeout=20)
    outcomes = Outcomes()
    lock = threading.Lock()

    def run(name: str, step: Step) -> None:
        try:
            loaded = Demand.objects.get(pk=demand_pk)
            barrier.wait()
            step(loaded)
            with lock:
                outcomes.won.append(name)
        except StaleVersion as exc:
            with lock:
                outcomes.stale[name] = exc
        except BaseException as exc:  # surfaced by the assertions below
            with lock:
                outcomes.errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in contenders.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a contender is still waiting on the row lock"
    return outcomes


def assert_one_transition(
    demand: Demand, outcomes: Outcomes, winners: dict[str, tuple[User, DemandState]]
) -> None:
    """Exactly one winner; the loser was told who won and the state now; the row and the
    history show the winner's step and nothing of the loser's."""
    assert outcomes.errors == []
    assert len(outcomes.won) == 1 and len(outcomes.stale) == 1, outcomes
    winner = outcomes.won[0]
    winner_user, winner_state = winners[winner]
    (stale,) = outcomes.stale.values()
    current = Demand.objects.get(pk=demand.pk)
    assert current.version == demand.version + 1
    assert current.state == winner_state
    assert current.last_actor == winner_user
    assert stale.current_version == current.version
    assert stale.last_actor == winner_user
    assert str(winner_user) in stale.message
    assert current.get_state_display() in stale.message
    new_events = list(DemandEvent.objects.filter(demand=demand, version__gt=demand.version))
    assert len(new_events) == 1
    assert (new_events[0].actor, new_events[0].to_state) == (winner_user, winner_state)
    assert new_events[0].from_state == demand.state


def test_handler_signs_while_the_office_withdraws(world: Any) -> None:
    """The department signs for a demand at the moment the office withdraws it for the
    enterprise: one of the two happens, never a signed-and-closed mix."""
    handler_user = handler(world.home)
    office = world.user(Role.SERVICE_OFFICE)
    winners_seen = set()
    for _ in range(ROUNDS):
        demand = make_demand(world, DemandState.ASSIGNED)
        outcomes = race(
            demand.pk,
            {
                "sign": lambda d: actions.sign_demand(
                    demand=d, actor=handler_user, expected_version=d.version, at=AT
                ),
                "withdraw": lambda d: actions.withdraw_demand(
                    demand=d, actor=office, expected_version=d.version, note="企业已自行解决，申请撤回", at=AT
                ),
            },
        )
        assert_one_transition(
            demand,
            outcomes,
            {"sign": (handler_user, DemandState.SIGNED), "withdraw": (office, DemandState.CLOSED)},
        )
        current = Demand.objects.get(pk=demand.pk)
        if outcomes.won == ["withdraw"]:
            assert current.outcome == Outcome.WITHDRAWN and current.closed_at is not None
        else:
            assert current.outcome == "" and current.closed_at is None
        winners_seen.add(outcomes.won[0])
    assert winners_seen  # at least one round ran to the end


def test_two_office_users_assign_to_different_departments(world: Any) -> None:
    """Two office colleagues route the same new demand to different departments: the demand
    ends up with one lead department and one deadline, the other colleague is told who did it."""
    first = world.user(Role.SERVICE_OFFICE)
    second = make_user("home_office_2", Role.SERVICE_OFFICE, world.home.park, display_name="营商办李四")
    land = Department.objects.create(jurisdiction=world.home.park, name="自然资源和规划分局")
    for _ in range(ROUNDS):
        demand = make_demand(world, DemandState.RECEIVED)
        outcomes = race(
            demand.pk,
            {
                "first": lambda d: actions.assign_demand(
                    demand=d,
                    actor=first,
                    expected_version=d.version,
                    department=world.home.department,
                    workdays_limit=5,
                    at=AT,
                ),
                "second": lambda d: actions.assign_demand(
                    demand=d,
                    actor=second,
                    expected_version=d.version,
                    department=land,
                    workdays_limit=10,
                    at=AT,
                ),
            },
        )
        assert_one_transition(
            demand,
            outcomes,
            {"first": (first, DemandState.ASSIGNED), "second": (second, DemandState.ASSIGNED)},
        )
        current = Demand.objects.get(pk=demand.pk)
        expected = (world.home.department, 5) if outcomes.won == ["first"] else (land, 10)
        assert (current.lead_department, current.deadline_workdays) == expected
        event = DemandEvent.objects.get(demand=demand, version=current.version)
        assert event.department == expected[0] and event.due_on == current.due_on
