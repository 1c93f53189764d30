"""Every (state, action, role) of both tables, taken through their actions: allowed ones move
the row to the table's next state and write the step's event, refused ones raise
`TransitionNotAllowed` and change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.core.workflow import TransitionNotAllowed, walk_table
from lianqi.testing.world import World

from .. import actions
from ..models import ParcelEvent, ReservationEvent
from ..workflow import (
    ENTERPRISE,
    PARCEL_TABLE,
    ROLES,
    TABLE,
    needs_of,
    parcel_workflow,
    workflow,
)
from .factories import AT, make_parcel, make_reservation

INPUTS: dict[str, Any] = {
    "note": "项目调整",
    "listing_starts": dt.date(2026, 3, 5),
    "listing_ends": dt.date(2026, 3, 20),
    "deal_price": Decimal("6500000"),
    "contract_no": "湘潭高新〔2026〕3号",
}


def actor_for(world: World, role: str) -> tuple[Any, Any]:
    if role == ENTERPRISE:
        return None, world.home.enterprise
    return world.user(role), None


def test_every_step_of_the_tables_has_its_action() -> None:
    assert set(actions.STEPS) == {action for _state, action in TABLE}
    assert set(actions.PARCEL_STEPS) == {action for _state, action in PARCEL_TABLE}


@pytest.mark.parametrize(("state", "action", "role", "allowed"), walk_table(workflow, ROLES))
def test_reservation_table(world: World, state: str, action: str, role: str, allowed: bool) -> None:
    row = make_reservation(world, state)
    actor, enterprise = actor_for(world, role)
    assert (action in workflow.allowed_actions(row, actor, enterprise=enterprise)) == allowed

    def take() -> Any:
        return actions.STEPS[action](
            reservation=row,
            actor=actor,
            enterprise=enterprise,
            expected_version=1,
            at=AT,
            **{need: INPUTS[need] for need in needs_of(action)},
        )

    if allowed:
        moved = take()
        assert moved.state == TABLE[(state, action)].next_state
        event = ReservationEvent.objects.get(reservation=row)
        assert (event.action, event.from_state, event.to_state) == (action, state, moved.state)
    else:
        with pytest.raises(TransitionNotAllowed):
            take()
        row.refresh_from_db()
        assert (row.state, row.version) == (state, 1)


@pytest.mark.parametrize(("state", "action", "role", "allowed"), walk_table(parcel_workflow, ROLES))
def test_parcel_table(world: World, state: str, action: str, role: str, allowed: bool) -> None:
    row = make_parcel(world, state)
    actor, _enterprise = actor_for(world, role)
    inputs = {need: INPUTS[need] for need in needs_of(action, PARCEL_TABLE)}
    if allowed:
        moved = actions.PARCEL_STEPS[action](parcel=row, actor=actor, expected_version=1, at=AT, **inputs)
        assert moved.state == PARCEL_TABLE[(state, action)].next_state
        assert ParcelEvent.objects.get(parcel=row).action == action
    else:
        with pytest.raises(TransitionNotAllowed):
            actions.PARCEL_STEPS[action](parcel=row, actor=actor, expected_version=1, at=AT, **inputs)


def test_the_other_park_may_take_no_step(world: World) -> None:
    row = make_reservation(world)
    for role in (Role.SERVICE_OFFICE, Role.LEADER, Role.ENTERPRISE):
        assert workflow.allowed_actions(row, world.other_user(role)) == []
    assert workflow.allowed_actions(row, None, enterprise=world.other.enterprise) == []
    assert (
        parcel_workflow.allowed_actions(make_parcel(world, "planned"), world.other_user(Role.SERVICE_OFFICE))
        == []
    )
