"""Every (state, action, role) of the campaign's table, taken through its action: allowed ones
move the campaign and write the step's event, refused ones raise `TransitionNotAllowed` and
change nothing; and the other park may take no step."""

from __future__ import annotations

import pytest

from lianqi.core.roles import Role
from lianqi.core.workflow import TransitionNotAllowed, walk_table
from lianqi.testing.world import World

from .. import actions
from ..models import Campaign, CampaignEvent
from ..workflow import ROLES, TABLE, workflow
from .factories import AT, make_campaign


def test_every_step_of_the_table_has_its_action() -> None:
    assert set(actions.STEPS) == {action for _state, action in TABLE}


@pytest.mark.parametrize(("state", "action", "role", "allowed"), walk_table(workflow, ROLES))
def test_table(world: World, state: str, action: str, role: str, allowed: bool) -> None:
    row = make_campaign(world, state)
    actor = world.user(role)
    assert (action in workflow.allowed_actions(row, actor)) == allowed

    def take() -> Campaign:
        return actions.STEPS[action](campaign=row, actor=actor, expected_version=1, at=AT)

    if allowed:
        moved = take()
        assert (moved.state, moved.version) == (TABLE[(state, action)].next_state, 2)
        event = CampaignEvent.objects.get(campaign=row)
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


def test_the_other_park_may_take_no_step(world: World) -> None:
    row = make_campaign(world, "draft")
    for role in (Role.SERVICE_OFFICE, Role.LEADER):
        assert workflow.allowed_actions(row, world.other_user(role)) == []
