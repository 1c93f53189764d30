"""Every (state, action, role) of a run item's table, taken through its action: allowed ones
move the item to the table's next state and write the step's event, refused ones raise
`TransitionNotAllowed` and change nothing."""

from __future__ import annotations

import pytest

from lianqi.core.roles import Role
from lianqi.core.workflow import TransitionNotAllowed, walk_table
from lianqi.testing.world import World

from .. import actions
from ..choices import ItemAction
from ..models import RunItem, RunItemEvent
from ..workflow import ROLES, TABLE, needs_of, workflow
from .factories import AT, actor_for, inputs, make_run_item


def test_every_step_of_the_table_has_its_action() -> None:
    assert set(actions.STEPS) == {action for _state, action in TABLE}


@pytest.mark.parametrize(("state", "action", "role", "allowed"), walk_table(workflow, ROLES))
def test_table(world: World, state: str, action: str, role: str, allowed: bool) -> None:
    row = make_run_item(world, state)
    actor, enterprise = actor_for(world, role)
    assert (action in workflow.allowed_actions(row, actor, enterprise=enterprise)) == allowed
    given = inputs(row)

    def take() -> RunItem:
        return actions.STEPS[action](
            run_item=row,
            actor=actor,
            expected_version=row.version,
            at=AT,
            **{need: given[need] for need in needs_of(action)},
        )

    before = RunItemEvent.objects.filter(run_item=row).count()
    if allowed:
        moved = take()
        assert moved.state == TABLE[(state, action)].next_state
        assert moved.version == row.version + 1
        event = RunItemEvent.objects.filter(run_item=row).latest("pk")
        assert (event.action, event.from_state, event.to_state) == (action, state, moved.state)
        assert (event.actor, event.on) == (actor, AT.date())
    else:
        with pytest.raises(TransitionNotAllowed):
            take()
        row.refresh_from_db()
        assert row.state == state
        assert RunItemEvent.objects.filter(run_item=row).count() == before


def test_the_other_park_may_take_no_step(world: World) -> None:
    row = make_run_item(world)
    for role in (Role.SERVICE_OFFICE, Role.LEADER, Role.ENTERPRISE):
        assert workflow.allowed_actions(row, world.other_user(role)) == []


def test_the_owner_applies_but_only_the_office_decides(world: World) -> None:
    row = make_run_item(world)
    owner = world.user(Role.ENTERPRISE)
    assert workflow.allowed_actions(row, owner) == [ItemAction.SUBMIT]
    submitted = make_run_item(world, "submitted")
    assert workflow.allowed_actions(submitted, owner) == []
    assert set(workflow.allowed_actions(submitted, world.user(Role.SERVICE_OFFICE))) == {
        ItemAction.ACCEPT,
        ItemAction.ACCEPT_LENIENT,
        ItemAction.RETURN,
    }
