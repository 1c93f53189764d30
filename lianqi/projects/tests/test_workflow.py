"""The stage table walked: every (stage, step, role), allowed or refused, through the actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lianqi.core.roles import Role
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed, walk_table
from lianqi.testing.world import World

from ..actions.portfolio import STEPS
from ..choices import ProjectStage
from ..workflow import ROLES, TABLE, workflow
from .factories import AT, make_project


def test_every_step_of_the_table_has_its_action() -> None:
    assert {action for _state, action in TABLE} == set(STEPS)


@pytest.mark.parametrize(("state", "action", "role", "allowed"), walk_table(workflow, ROLES))
def test_walk(world: World, state: str, action: str, role: str, allowed: bool) -> None:
    row = make_project(world, state)
    actor = world.user(role)
    on = AT.date() - dt.timedelta(days=1)
    if allowed:
        moved = STEPS[action](project=row, actor=actor, expected_version=row.version, on=on, at=AT)
        assert moved.state == TABLE[(state, action)].next_state and moved.version == row.version + 1
    else:
        with pytest.raises(TransitionNotAllowed):
            STEPS[action](project=row, actor=actor, expected_version=row.version, on=on, at=AT)


def test_stage_dates_run_forwards_and_never_in_the_future(world: World) -> None:
    row = make_project(world, ProjectStage.SIGNED, signed_on=dt.date(2025, 3, 1))
    office = world.user(Role.SERVICE_OFFICE)
    take = STEPS["obtain_land"]
    for on in (dt.date(2025, 2, 28), AT.date() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            take(project=row, actor=office, expected_version=1, on=on, at=AT)
        assert "on" in refused.value.message_dict
    moved = take(project=row, actor=office, expected_version=1, on=dt.date(2025, 3, 1), at=AT)
    assert (moved.state, moved.land_on) == (ProjectStage.LAND, dt.date(2025, 3, 1))
    with pytest.raises(StaleVersion):
        STEPS["start"](project=moved, actor=office, expected_version=1, on=AT.date(), at=AT)


def test_another_park_cannot_move_the_project(world: World) -> None:
    row = make_project(world)
    with pytest.raises(TransitionNotAllowed):
        STEPS["obtain_land"](
            project=row, actor=world.other_user(Role.SERVICE_OFFICE), expected_version=1, on=AT.date(), at=AT
        )
