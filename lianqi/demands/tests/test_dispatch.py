"""`dispatch.perform` takes every step of the table by name with form-style input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lianqi.core.workflow import TransitionNotAllowed

from .. import actions, dispatch, workflow
from ..choices import Channel, DemandState, Outcome, Satisfaction, Venue
from ..choices import DemandAction as A
from .factories import AT, actor_for, category, make_demand

RATING = {"contacted": True, "solved": True, "satisfaction": Satisfaction.SATISFIED}
REDO = {"contacted": True, "solved": False, "satisfaction": Satisfaction.UNSATISFIED}


def _data(world: Any, action: A) -> dict[str, Any]:
    home = world.home
    return {
        A.ASSIGN: {"department": home.department, "workdays": 3},
        A.REROUTE: {"department": home.department},
        A.SEND_BACK: {"reason": "非本部门职责"},
        A.REQUEST_EXTENSION: {"workdays": 2, "reason": "需上级审批"},
        A.REPLY: {"outcome": Outcome.SOLVED, "note": "已办理"},
        A.RATE: RATING,
        A.RATE_REDO: REDO,
        A.RETURN_VISIT: RATING,
        A.RETURN_VISIT_REDO: REDO,
        A.ESCALATE: {
            "venue": Venue.EXPERT,
            "meeting": "遗留问题专家会",
            "meeting_on": dt.date(2025, 3, 20),
            "owner": home.liaison_staff,
        },
        A.DECIDE_REASSIGN: {"department": home.department, "workdays": 10, "note": "议定交办"},
        A.DECIDE_CLOSE: {"outcome": Outcome.EXPLAINED, "note": "议定解释"},
        A.CLOSE: {"outcome": Outcome.NOT_REMIT, "note": "非职责"},
        A.MERGE: {"into": make_demand(world, DemandState.HANDLING), "note": "重复"},
    }.get(action, {"note": "说明"})


CASES = sorted({(s, a) for (s, a) in workflow.TABLE}, key=str)


@pytest.mark.parametrize(("state", "action"), CASES)
def test_every_step_can_be_taken_by_name(world: Any, state: DemandState, action: A) -> None:
    transition = workflow.TABLE[(state, action)]
    role = sorted(transition.roles)[0]
    setup = {"extension_workdays": 2} if action in (A.APPROVE_EXTENSION, A.REJECT_EXTENSION) else {}
    demand = make_demand(world, state, **setup)
    actor: Any = actor_for(world, role)
    enterprise = None
    if role == workflow.ENTERPRISE:
        actor, enterprise = None, world.home.enterprise
    result = dispatch.perform(
        demand=demand,
        action=action,
        actor=actor,
        expected_version=demand.version,
        data=_data(world, action),
        enterprise=enterprise,
    )
    assert result.state == transition.next_state
    assert result.events.last().action == action  # type: ignore[union-attr]


def test_a_refused_step_names_the_allowed_ones_before_checking_input(world: Any) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    with pytest.raises(TransitionNotAllowed) as error:
        dispatch.perform(
            demand=demand, action=A.SIGN, actor=world.user("liaison"), expected_version=1, data={}
        )
    assert A.SOLVE_ON_SPOT in error.value.allowed


def test_missing_input_is_a_field_error(world: Any) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    with pytest.raises(ValidationError) as error:
        dispatch.perform(
            demand=demand,
            action=A.SOLVE_ON_SPOT,
            actor=world.user("liaison"),
            expected_version=demand.version,
            data={"note": " "},
        )
    assert "note" in error.value.message_dict


def test_a_liaison_records_a_demand_solved_on_the_spot_in_one_step(world: Any) -> None:
    demand = actions.submit_demand(
        enterprise=world.home.enterprise,
        category=category(),
        channel=Channel.LIAISON,
        description="咨询贷款贴息申报时间",
        actor=world.user("liaison"),
        solved_on_spot_note="当场讲解申报流程",
        at=AT,
    )
    assert demand.state == DemandState.CLOSED and demand.solved_on_spot
    assert [e.action for e in demand.events.all()] == ["submit", A.SOLVE_ON_SPOT]
