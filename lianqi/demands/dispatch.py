"""One way to take any step of the table by its name: pages, the API, Open311 and the code page
all call `perform` with the cleaned input of the step's `needs`, so no caller repeats the
mapping from an action's name to its function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from lianqi.core.actors import Actor
from lianqi.enterprises.models import Enterprise

from . import actions
from .choices import DemandAction as A
from .models import Demand
from .workflow import WORKFLOW

Step = Callable[..., Demand]


def _rate(*, return_visit: bool) -> Step:
    def step(**kw: Any) -> Demand:
        data = kw.pop("data")
        return actions.rate_demand(
            **kw,
            contacted=data["contacted"],
            solved=data["solved"],
            satisfaction=data["satisfaction"],
            note=data.get("note", ""),
            return_visit=return_visit,
        )

    return step


def _with(function: Step, *fields: str, takes_enterprise: bool = False, **fixed: Any) -> Step:
    """A step that passes the named fields of `data` (those present) to `function`."""

    def step(**kw: Any) -> Demand:
        data = kw.pop("data")
        enterprise = kw.pop("enterprise", None)
        picked = {_PARAMETER.get(f, f): data[f] for f in fields if f in data}
        if takes_enterprise:
            picked["enterprise"] = enterprise
        return function(**kw, **picked, **fixed)

    return step


# The table's `needs` use the form's names; the actions call the working-day count this.
_PARAMETER = {"workdays": "workdays_limit"}


def _decide_escalation(**kw: Any) -> Demand:
    data = kw.pop("data")
    kw.pop("enterprise", None)
    if data.get("outcome"):
        return actions.decide_escalation(**kw, note=data.get("note", ""), outcome=data["outcome"])
    return actions.decide_escalation(
        **kw,
        note=data.get("note", ""),
        department=data.get("department"),
        workdays_limit=data.get("workdays"),
        co_departments=data.get("co_departments", ()),
    )


STEPS: dict[A, Step] = {
    A.SOLVE_ON_SPOT: _with(actions.solve_demand_on_spot, "note"),
    A.ASSIGN: _with(actions.assign_demand, "department", "workdays", "co_departments", "note"),
    A.SIGN: _with(actions.sign_demand),
    A.START: _with(actions.start_demand),
    A.SEND_BACK: _with(actions.send_back_demand, "reason"),
    A.REROUTE: _with(actions.reroute_demand, "department", "note"),
    A.REQUEST_EXTENSION: _with(actions.request_extension, "workdays", "reason"),
    A.APPROVE_EXTENSION: _with(actions.decide_extension, "note", approve=True),
    A.REJECT_EXTENSION: _with(actions.decide_extension, "note", approve=False),
    A.REPLY: _with(actions.reply_demand, "outcome", "note"),
    A.RATE: _rate(return_visit=False),
    A.RATE_REDO: _rate(return_visit=False),
    A.RETURN_VISIT: _rate(return_visit=True),
    A.RETURN_VISIT_REDO: _rate(return_visit=True),
    A.ESCALATE: _with(actions.escalate_demand, "venue", "meeting", "meeting_on", "owner", "note"),
    A.DECIDE_REASSIGN: _decide_escalation,
    A.DECIDE_CLOSE: _decide_escalation,
    A.CLOSE: _with(actions.close_demand, "outcome", "note"),
    A.WITHDRAW: _with(actions.withdraw_demand, "note", takes_enterprise=True),
    A.MERGE: _with(actions.merge_demands, "into", "note"),
    A.SUPERVISE: _with(actions.supervise_demand, "note"),
    A.REMIND: _with(actions.remind_demand, "note"),
}


def perform(
    *,
    demand: Demand,
    action: str,
    actor: Actor | None,
    expected_version: int,
    data: Mapping[str, Any],
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Demand:
    """Take `action` on `demand` with `data` (keys as in the table's `needs`: note, reason,
    department, co_departments, workdays, outcome, contacted, solved, satisfaction, venue,
    meeting, meeting_on, owner, into). A step the actor may not take raises
    `TransitionNotAllowed` before any input is looked at, so the answer names the
    allowed steps rather than a missing field. Rating steps are chosen by the answers: RATE and
    RATE_REDO (RETURN_VISIT and RETURN_VISIT_REDO) lead to the same call."""
    WORKFLOW.check(demand, action, actor, enterprise=enterprise)
    step = STEPS[A(action)]
    return step(
        demand=demand,
        actor=actor,
        expected_version=expected_version,
        data=dict(data),
        enterprise=enterprise,
        at=at,
    )
