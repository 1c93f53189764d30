"""Every (state, action, role) of the inspections' table, taken through its action: allowed
ones move the inspection to the table's next state and write the step's event, refused ones
raise `TransitionNotAllowed` and change nothing."""

from __future__ import annotations

import pytest

from lianqi.core.roles import Role
from lianqi.core.workflow import TransitionNotAllowed, walk_table
from lianqi.testing.world import World

from .. import actions
from ..choices import InspectionState
from ..models import Inspection, InspectionEvent
from ..workflow import ROLES, TABLE, needs_of, workflow
from .factories import AT, AWAITING_FOLLOW_UP, actor_for, inputs, make_inspection


def test_every_step_of_the_table_has_its_action() -> None:
    assert set(actions.STEPS) == {action for _state, action in TABLE}


@pytest.mark.parametrize(("state", "action", "role", "allowed"), walk_table(workflow, ROLES))
def test_table(world: World, state: str, action: str, role: str, allowed: bool) -> None:
    # The follow-up steps of a closed inspection are there only for a rectification order.
    row = make_inspection(world, state, **(AWAITING_FOLLOW_UP if state == InspectionState.CLOSED else {}))
    actor, enterprise = actor_for(world, role)
    assert (action in workflow.allowed_actions(row, actor, enterprise=enterprise)) == allowed
    given = inputs(world)

    def take() -> Inspection:
        return actions.STEPS[action](
            inspection=row,
            actor=actor,
            enterprise=enterprise,
            expected_version=1,
            at=AT,
            **{need: given[need] for need in needs_of(action)},
        )

    if allowed:
        moved = take()
        assert moved.state == TABLE[(state, action)].next_state
        assert moved.version == 2
        event = InspectionEvent.objects.get(inspection=row)
        assert (event.action, event.from_state, event.to_state) == (action, state, moved.state)
    else:
        with pytest.raises(TransitionNotAllowed):
            take()
        row.refresh_from_db()
        assert (row.state, row.version) == (state, 1)
        assert not InspectionEvent.objects.filter(inspection=row).exists()


def test_the_other_park_may_take_no_step(world: World) -> None:
    row = make_inspection(world)
    for role in (Role.SERVICE_OFFICE, Role.DEPARTMENT_HANDLER, Role.LIAISON, Role.ENTERPRISE):
        assert workflow.allowed_actions(row, world.other_user(role)) == []
    assert workflow.allowed_actions(row, None, enterprise=world.other.enterprise) == []


def test_a_closed_inspection_without_a_rectification_order_has_no_follow_up(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    assert workflow.allowed_actions(make_inspection(world, InspectionState.CLOSED), office) == []
    ordered = make_inspection(world, InspectionState.CLOSED, **AWAITING_FOLLOW_UP)
    assert workflow.allowed_actions(ordered, office) == ["confirm_rectified", "escalate"]
