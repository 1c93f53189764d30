"""Every (state, action, role) of the application's table, taken through its action: allowed
ones move the application to the table's next state and write the step's event, refused ones
raise `TransitionNotAllowed` and change nothing."""

from __future__ import annotations

import pytest

from lianqi.core.roles import Role
from lianqi.core.workflow import TransitionNotAllowed, walk_table
from lianqi.testing.world import World

from .. import actions
from ..models import Application, ApplicationEvent
from ..workflow import ROLES, TABLE, needs_of, workflow
from .factories import AT, INPUTS, actor_for, institution_of, make_application, rival_bank_user


def test_every_step_of_the_table_has_its_action() -> None:
    assert set(actions.STEPS) == {action for _state, action in TABLE}


@pytest.mark.parametrize(("state", "action", "role", "allowed"), walk_table(workflow, ROLES))
def test_table(world: World, state: str, action: str, role: str, allowed: bool) -> None:
    row = make_application(world, state)
    actor = actor_for(world, role)
    assert (action in workflow.allowed_actions(row, actor)) == allowed

    def take() -> Application:
        return actions.STEPS[action](
            application=row,
            actor=actor,
            expected_version=1,
            at=AT,
            **{need: INPUTS[need] for need in needs_of(action)},
        )

    if allowed:
        moved = take()
        assert moved.state == TABLE[(state, action)].next_state
        assert moved.version == 2
        event = ApplicationEvent.objects.get(application=row)
        assert (event.action, event.from_state, event.to_state, event.actor) == (
            action,
            state,
            moved.state,
            actor,
        )
    else:
        with pytest.raises(TransitionNotAllowed):
            take()
        row.refresh_from_db()
        assert (row.state, row.version) == (state, 1)
        assert not ApplicationEvent.objects.filter(application=row).exists()


def test_another_bank_and_the_other_park_may_take_no_step(world: World) -> None:
    row = make_application(world)
    institution_of(world.other)
    for user in (rival_bank_user(world), world.other_user(Role.FINANCE), world.other_user(Role.ENTERPRISE)):
        assert workflow.allowed_actions(row, user) == []
    # The park's office watches the bank's clock but does not take the bank's steps.
    assert workflow.allowed_actions(row, world.user(Role.SERVICE_OFFICE)) == []
