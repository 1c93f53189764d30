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

from .choices import ProjectAction as A
from .choices import ProjectStage as S
from .models import Project, ProjectEvent

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
