"""This wing's actions with a real database: registering an item, a whole lifecycle, input a
step refuses, a stale page, and the measure counted over what was registered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lianqi.core import registry
from lianqi.core.registry import Period
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.core.workflow import StaleVersion
from lianqi.testing.world import World

from .. import actions
from ..choices import LandState
from ..models import Land, LandEvent
from .factories import AT, make_land


def test_create_registers_a_draft_with_its_first_event(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    row = actions.create_land(enterprise=world.home.enterprise, title=" 消防整改 ", actor=office, at=AT)
    assert (row.state, row.version, row.title) == (LandState.DRAFT, 1, "消防整改")
    assert row.jurisdiction_path == world.home.park.path
    event = LandEvent.objects.get(land=row)
    assert (event.action, event.from_state, event.to_state, event.actor) == ("create", "", "draft", office)


def test_create_refuses_an_empty_title_and_another_park_s_enterprise(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    with pytest.raises(ValidationError) as empty:
        actions.create_land(enterprise=world.home.enterprise, title="  ", actor=office)
    assert "title" in empty.value.message_dict
    with pytest.raises(ValidationError) as elsewhere:
        actions.create_land(enterprise=world.other.enterprise, title="整改", actor=office)
    assert "enterprise" in elsewhere.value.message_dict
    assert not Land.objects.exists()


def test_a_whole_lifecycle(world: World) -> None:
    office, leader = world.user(Role.SERVICE_OFFICE), world.user(Role.LEADER)
    row = actions.create_land(enterprise=world.home.enterprise, title="整改", actor=office, at=AT)
    row = actions.submit_land(land=row, actor=None, enterprise=world.home.enterprise, expected_version=1)
    row = actions.return_land(land=row, actor=leader, expected_version=2, note="缺少照片")
    row = actions.submit_land(land=row, actor=office, expected_version=3)
    row = actions.approve_land(land=row, actor=leader, expected_version=4)
    row = actions.close_land(land=row, actor=office, expected_version=5, outcome="已整改")
    assert (row.state, row.version, row.outcome) == (LandState.CLOSED, 6, "已整改")
    events = LandEvent.objects.filter(land=row)
    assert [e.action for e in events] == ["create", "submit", "return", "submit", "approve", "close"]
    assert [e.note for e in events if e.note] == ["缺少照片", "已整改"]
    assert events[1].by_enterprise is True


@pytest.mark.parametrize(
    ("step", "field"), [(actions.return_land, "note"), (actions.close_land, "outcome")]
)
def test_a_step_refuses_empty_input_and_changes_nothing(
    world: World, step: Callable[..., Land], field: str
) -> None:
    state = LandState.SUBMITTED if field == "note" else LandState.APPROVED
    row = make_land(world, state)
    with pytest.raises(ValidationError) as invalid:
        step(land=row, actor=world.user(Role.SERVICE_OFFICE), expected_version=1, **{field: " "})
    assert field in invalid.value.message_dict
    row.refresh_from_db()
    assert (row.state, row.version) == (state, 1)
    assert not LandEvent.objects.exists()


def test_a_stale_page_is_told_who_changed_the_item(world: World) -> None:
    row = make_land(world, LandState.SUBMITTED)
    leader = world.user(Role.LEADER)
    actions.approve_land(land=row, actor=leader, expected_version=1)
    with pytest.raises(StaleVersion) as stale:
        actions.return_land(
            land=row, actor=world.user(Role.SERVICE_OFFICE), expected_version=1, note="补充"
        )
    assert str(leader) in stale.value.message
    assert stale.value.current_version == 2


def test_the_measure_counts_what_was_registered_in_the_period_and_the_jurisdiction(world: World) -> None:
    make_land(world)
    make_land(world, LandState.CLOSED)
    make_land(world, side=world.other)
    old = make_land(world)
    Land.objects.filter(pk=old.pk).update(created_at=dt.datetime(2020, 6, 1, 12, tzinfo=SHANGHAI))
    measure = registry.measure("land.registered")
    this_year = Period.year(timezone.localdate().year)
    assert measure.compute(world.home.park.path, this_year) == 2
    assert measure.compute(world.city.path, this_year) == 3
    assert measure.compute(world.home.park.path, Period.year(2020)) == 1
