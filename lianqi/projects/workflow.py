"""A key project's stages as one table on core's workflow kit: signed → land obtained →
construction started → topped out → completed → in production, each step taken with the date
the stage was reached (`needs=("on",)`). Pages offer what `workflow.allowed_actions` answers,
every step is an action on `take_step` (`actions.py`), and the tests walk every (state, action,
role) of `TABLE`.

A workflow role is held for one project: office or leader — the service office or a leader
whose jurisdiction holds the project.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Transition, Workflow, transition

from .choices import LeadAction as LA
from .choices import LeadStage as LS
from .choices import ProjectAction as A
from .choices import ProjectStage as S
from .models import Lead, LeadEvent, Project, ProjectEvent

OFFICE = Role.SERVICE_OFFICE.value
LEADER = Role.LEADER.value
#: The workflow roles, in the order pages list them.
ROLES: tuple[str, ...] = (OFFICE, LEADER)

TABLE: dict[tuple[str, str], Transition] = {
    (S.SIGNED, A.OBTAIN_LAND): transition(S.LAND, OFFICE, LEADER, needs=("on",)),
    (S.LAND, A.START): transition(S.STARTED, OFFICE, LEADER, needs=("on",)),
    (S.STARTED, A.TOP_OUT): transition(S.TOPPED_OUT, OFFICE, LEADER, needs=("on",)),
    (S.TOPPED_OUT, A.COMPLETE): transition(S.COMPLETED, OFFICE, LEADER, needs=("on",)),
    (S.COMPLETED, A.PRODUCE): transition(S.PRODUCING, OFFICE, LEADER, needs=("on",)),
}


def roles_for(row: Project, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
    """The workflow roles `actor` holds for this project (see the module docstring); an
    enterprise through its code holds none."""
    if actor is None or not path_visible(actor, row.jurisdiction_path):
        return frozenset()
    roles: set[str] = set()
    if has_role(actor, (Role.SERVICE_OFFICE,)):
        roles.add(OFFICE)
    if has_role(actor, (Role.LEADER,)):
        roles.add(LEADER)
    return frozenset(roles)


def needs_of(action: str) -> tuple[str, ...]:
    """The input a step needs wherever the table has it."""
    names = (name for (_state, a), step in TABLE.items() if a == action for name in step.needs)
    return tuple(dict.fromkeys(names))


workflow: Workflow[Project] = Workflow(
    model=Project,
    table=TABLE,
    roles_for=roles_for,
    noun=_("项目"),
    states=S,
    actions=A,
    event_model=ProjectEvent,
    subject_field="project",
)


# --- The attraction pipeline (招商) -----------------------------------------------------------

_OPEN_LEAD = (LS.LEAD, LS.TALKS)

LEAD_TABLE: dict[tuple[str, str], Transition] = {
    (LS.LEAD, LA.TALK): transition(LS.TALKS, OFFICE, LEADER, needs=("on",)),
    (LS.LEAD, LA.SIGN): transition(LS.SIGNED, OFFICE, LEADER, needs=("on", "amount")),
    (LS.TALKS, LA.SIGN): transition(LS.SIGNED, OFFICE, LEADER, needs=("on", "amount")),
    (LS.SIGNED, LA.REGISTER): transition(LS.REGISTERED, OFFICE, LEADER, needs=("on",)),
    (LS.REGISTERED, LA.OBTAIN_LAND): transition(LS.LAND, OFFICE, LEADER, needs=("on",)),
    (LS.LAND, LA.START): transition(LS.STARTED, OFFICE, LEADER, needs=("on",)),
    (LS.STARTED, LA.PRODUCE): transition(LS.PRODUCING, OFFICE, LEADER, needs=("on",)),
    **{(s, LA.DROP): transition(LS.DROPPED, OFFICE, LEADER, needs=("on", "note")) for s in _OPEN_LEAD},
}


def lead_roles_for(row: Lead, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
    """The workflow roles `actor` holds for a lead: the office or a leader of its jurisdiction."""
    if actor is None or not path_visible(actor, row.jurisdiction_path):
        return frozenset()
    roles: set[str] = set()
    if has_role(actor, (Role.SERVICE_OFFICE,)):
        roles.add(OFFICE)
    if has_role(actor, (Role.LEADER,)):
        roles.add(LEADER)
    return frozenset(roles)


def lead_needs_of(action: str) -> tuple[str, ...]:
    """The input a lead's step needs wherever the table has it."""
    names = (name for (_state, a), step in LEAD_TABLE.items() if a == action for name in step.needs)
    return tuple(dict.fromkeys(names))


lead_workflow: Workflow[Lead] = Workflow(
    model=Lead,
    table=LEAD_TABLE,
    roles_for=lead_roles_for,
    noun=_("招商项目"),
    states=LS,
    actions=LA,
    event_model=LeadEvent,
    subject_field="lead",
)
