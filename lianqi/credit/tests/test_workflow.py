"""Every (state, action, role) of the repair table, taken through its action: allowed ones
move the record to the table's next state and write the step's event, refused ones (a step
out of order, or by a role that may not) raise `TransitionNotAllowed` and change nothing."""

from __future__ import annotations

import pytest

from lianqi.core.roles import Role
from lianqi.core.workflow import TransitionNotAllowed, walk_table
from lianqi.testing.world import World

from .. import actions
from ..models import DishonestyRecord, RecordEvent
from ..workflow import ROLES, TABLE, needs_of, workflow
from .factories import AT, INPUTS, actor_for, make_record


def test_every_step_of_the_table_has_its_action() -> None:
    assert set(actions.STEPS) == {action for _state, action in TABLE}


@pytest.mark.parametrize(("state", "action", "role", "allowed"), walk_table(workflow, ROLES))
def test_table(world: World, state: str, action: str, role: str, allowed: bool) -> None:
    row = make_record(world, state)
    actor, enterprise = actor_for(world, role)
    assert (action in workflow.allowed_actions(row, actor, enterprise=enterprise)) == allowed

    def take() -> DishonestyRecord:
        return actions.STEPS[action](
            record=row,
            actor=actor,
            enterprise=enterprise,
            expected_version=1,
            at=AT,
            **{need: INPUTS[need] for need in needs_of(action)},
        )

    if allowed:
        moved = take()
        assert moved.state == TABLE[(state, action)].next_state
        assert moved.version == 2
        event = RecordEvent.objects.get(record=row)
        assert (event.action, event.from_state, event.to_state) == (action, state, moved.state)
        assert (event.actor, event.by_enterprise) == (actor, actor is None)
    else:
        with pytest.raises(TransitionNotAllowed):
            take()
        row.refresh_from_db()
        assert (row.state, row.version) == (state, 1)
        assert not RecordEvent.objects.filter(record=row).exists()


def test_the_other_park_may_take_no_step(world: World) -> None:
    row = make_record(world)
    for role in (Role.SERVICE_OFFICE, Role.LEADER, Role.ENTERPRISE):
        assert workflow.allowed_actions(row, world.other_user(role)) == []
    assert workflow.allowed_actions(row, None, enterprise=world.other.enterprise) == []
