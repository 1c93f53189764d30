"""Every (state, action, role) of the lifecycle table: allowed steps succeed through their
action, refused ones raise `TransitionNotAllowed` naming what is allowed. The cases are drawn
from `workflow.TABLE`, so a new row is tested as soon as it is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.core.workflow import TransitionNotAllowed

from .. import actions, workflow
from ..choices import DemandAction as A
from ..choices import DemandState as S
from ..choices import Outcome, Satisfaction, Venue
from ..models import Demand, DemandEvent
from .factories import AT, actor_for, make_demand

pytestmark = pytest.mark.django_db

LATER = AT + dt.timedelta(days=1)


def _perform(world: Any) -> dict[A, Callable[[Demand, Any], Demand]]:
    """How to take each action, with valid input, as `actor`."""
    home = world.home
    common = lambda d, u: {"demand": d, "actor": u, "expected_version": d.version, "at": LATER}  # noqa: E731
    rating: dict[str, Any] = {"contacted": True, "solved": True, "satisfaction": Satisfaction.SATISFIED}
    redo: dict[str, Any] = {"contacted": True, "solved": False, "satisfaction": Satisfaction.UNSATISFIED}
    return {
        A.SOLVE_ON_SPOT: lambda d, u: actions.solve_demand_on_spot(**common(d, u), note="当场联系银行"),
        A.ASSIGN: lambda d, u: actions.assign_demand(
            **common(d, u), department=home.department, workdays_limit=3
        ),
        A.SIGN: lambda d, u: actions.sign_demand(**common(d, u)),
        A.START: lambda d, u: actions.start_demand(**common(d, u)),
        A.SEND_BACK: lambda d, u: actions.send_back_demand(**common(d, u), reason="非本部门职责"),
        A.REROUTE: lambda d, u: actions.reroute_demand(**common(d, u), department=home.department),
        A.REQUEST_EXTENSION: lambda d, u: actions.request_extension(
            **common(d, u), workdays_limit=2, reason="需上级审批"
        ),
        A.APPROVE_EXTENSION: lambda d, u: actions.decide_extension(**common(d, u), approve=True),
        A.REJECT_EXTENSION: lambda d, u: actions.decide_extension(**common(d, u), approve=False),
        A.REPLY: lambda d, u: actions.reply_demand(**common(d, u), outcome=Outcome.SOLVED, note="已办理"),
        A.RATE: lambda d, u: actions.rate_demand(**common(d, u), **rating),
        A.RATE_REDO: lambda d, u: actions.rate_demand(**common(d, u), **redo),
        A.RETURN_VISIT: lambda d, u: actions.rate_demand(**common(d, u), **rating, return_visit=True),
        A.RETURN_VISIT_REDO: lambda d, u: actions.rate_demand(**common(d, u), **redo, return_visit=True),
        A.ESCALATE: lambda d, u: actions.escalate_demand(
            **common(d, u),
            venue=Venue.ROUNDTABLE,
            meeting="三月企业接待日",
            meeting_on=dt.date(2025, 3, 15),
            owner=home.liaison_staff,
        ),
        A.DECIDE_REASSIGN: lambda d, u: actions.decide_escalation(
            **common(d, u), note="会议议定交办", department=home.department, workdays_limit=10
        ),
        A.DECIDE_CLOSE: lambda d, u: actions.decide_escalation(
            **common(d, u), note="会议议定解释", outcome=Outcome.EXPLAINED
        ),
        A.CLOSE: lambda d, u: actions.close_demand(**common(d, u), outcome=Outcome.DUPLICATE, note="重复"),
        A.WITHDRAW: lambda d, u: actions.withdraw_demand(**common(d, u), note="已自行解决"),
        A.SUPERVISE: lambda d, u: actions.supervise_demand(**common(d, u), note="请加快办理"),
        A.REMIND: lambda d, u: actions.remind_demand(**common(d, u)),
        A.MERGE: lambda d, u: actions.merge_demands(
            **common(d, u), into=make_demand(world, S.HANDLING), note="与前一条重复"
        ),
    }


def _setup(state: S, action: A) -> dict[str, Any]:
    # The extension decisions need a pending request; everything else starts without one.
    if action in (A.APPROVE_EXTENSION, A.REJECT_EXTENSION):
        return {"extension_workdays": 2, "extension_reason": "需上级审批"}
    return {}


def _expected_allowed(demand: Demand, role: str) -> list[A]:
    return [
        a
        for (s, a), t in workflow.TABLE.items()
        if s == demand.state and role in t.roles and t.applies(demand)
    ]


CASES = [(state, action, role) for state in S for action in A for role in workflow.ROLES]


def test_every_action_has_a_way_to_be_taken(world: Any) -> None:
    assert {a for (_s, a) in workflow.TABLE} == set(_perform(world))


@pytest.mark.parametrize(("state", "action", "role"), CASES)
def test_table(world: Any, state: S, action: A, role: str) -> None:
    demand = make_demand(world, state, **_setup(state, action))
    actor = actor_for(world, role)
    transition = workflow.TABLE.get((state, action))
    perform = _perform(world)
    if transition is not None and role in transition.roles:
        assert action in workflow.WORKFLOW.allowed_actions(demand, actor)
        result = perform[action](demand, actor)
        assert result.state == transition.next_state
        assert result.version == demand.version + 1
        event = DemandEvent.objects.filter(demand=demand).last()
        assert event is not None
        assert (event.action, event.from_state, event.to_state, event.actor) == (
            action,
            state,
            transition.next_state,
            actor,
        )
        return
    expected = _expected_allowed(demand, role)
    assert action not in expected
    with pytest.raises(TransitionNotAllowed) as refused:
        if action in perform:
            perform[action](demand, actor)
        else:
            workflow.WORKFLOW.check(demand, action, actor)
    assert refused.value.allowed == expected
    demand.refresh_from_db()
    assert demand.state == state
    assert not DemandEvent.objects.filter(demand=demand).exists()


def test_enterprise_without_account_acts_through_its_code(world: Any) -> None:
    demand = make_demand(world, S.REPLIED)
    assert workflow.WORKFLOW.allowed_actions(demand, None, enterprise=world.home.enterprise) == [
        A.RATE,
        A.RATE_REDO,
    ]
    assert workflow.WORKFLOW.allowed_actions(demand, None, enterprise=world.other.enterprise) == []
    closed = actions.rate_demand(
        demand=demand,
        actor=None,
        enterprise=world.home.enterprise,
        expected_version=demand.version,
        contacted=True,
        solved=True,
        satisfaction=Satisfaction.BASICALLY,
        at=LATER,
    )
    assert closed.state == S.CLOSED
    assert closed.events.get().by_enterprise is True


def test_refusal_message_names_the_allowed_actions(world: Any) -> None:
    demand = make_demand(world, S.ASSIGNED)
    with pytest.raises(TransitionNotAllowed) as refused:
        workflow.WORKFLOW.check(demand, A.REPLY, actor_for(world, Role.DEPARTMENT_HANDLER))
    assert refused.value.allowed == [A.SIGN, A.SEND_BACK]
    assert "签收" in refused.value.message and "退回" in refused.value.message
