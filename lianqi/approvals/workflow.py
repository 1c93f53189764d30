"""The lifecycle of one approval item of a project (`RunItem`) as one table on core's workflow
kit: (state, action) → next state, the workflow roles that may take it and the input it needs.
Pages offer what `workflow.allowed_actions` answers, every step is an action on `take_step`
(`actions.py`), and the tests walk every (state, action, role) of `TABLE`.

waiting → submitted (the owner applies, once every prerequisite is done) → accepted (or accepted
under 容缺: materials missing, a day promised for them) → approved; a submitted item may be
returned and submitted again. Missing 容缺 materials are supplied while accepted or after.

A workflow role is held for one item:

- office: the service office whose jurisdiction holds the project (it keeps the window's book);
- enterprise: the project's owner, by its account.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Transition, Workflow, transition

from .choices import ItemAction as A
from .choices import ItemState as S
from .models import RunItem, RunItemEvent

OFFICE = Role.SERVICE_OFFICE.value
ENTERPRISE = Role.ENTERPRISE.value
#: The workflow roles, in the order pages list them.
ROLES: tuple[str, ...] = (OFFICE, ENTERPRISE)


def _lenient_allowed(row: RunItem) -> bool:
    return row.item.lenient


def _owes_materials(row: RunItem) -> bool:
    return row.lenient and row.supplied_on is None


TABLE: dict[tuple[str, str], Transition] = {
    (S.WAITING, A.SUBMIT): transition(S.SUBMITTED, OFFICE, ENTERPRISE, needs=("on",)),
    (S.RETURNED, A.SUBMIT): transition(S.SUBMITTED, OFFICE, ENTERPRISE, needs=("on",)),
    (S.SUBMITTED, A.ACCEPT): transition(S.ACCEPTED, OFFICE, needs=("on",)),
    (S.SUBMITTED, A.ACCEPT_LENIENT): transition(
        S.ACCEPTED, OFFICE, needs=("on", "missing", "promise_on"), guard=_lenient_allowed
    ),
    (S.SUBMITTED, A.RETURN): transition(S.RETURNED, OFFICE, needs=("on", "note")),
    (S.ACCEPTED, A.APPROVE): transition(S.APPROVED, OFFICE, needs=("on",)),
    (S.ACCEPTED, A.SUPPLY): transition(S.ACCEPTED, OFFICE, ENTERPRISE, needs=("on",), guard=_owes_materials),
    (S.APPROVED, A.SUPPLY): transition(S.APPROVED, OFFICE, ENTERPRISE, needs=("on",), guard=_owes_materials),
}


def roles_for(row: RunItem, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
    """The workflow roles `actor` holds for this item (see the module docstring). The project's
    owner acts by its account; there is no step through the enterprise's code."""
    if actor is None:
        return frozenset()
    roles: set[str] = set()
    owner = row.run.project.enterprise_id
    if has_role(actor, (Role.ENTERPRISE,)) and owner is not None and actor.enterprise_id == owner:
        roles.add(ENTERPRISE)
    if path_visible(actor, row.jurisdiction_path) and has_role(actor, (Role.SERVICE_OFFICE,)):
        roles.add(OFFICE)
    return frozenset(roles)


def needs_of(action: str) -> tuple[str, ...]:
    """The input a step needs wherever the table has it."""
    names = (name for (_state, a), step in TABLE.items() if a == action for name in step.needs)
    return tuple(dict.fromkeys(names))


workflow: Workflow[RunItem] = Workflow(
    model=RunItem,
    table=TABLE,
    roles_for=roles_for,
    noun=_("审批办件"),
    states=S,
    actions=A,
    event_model=RunItemEvent,
    subject_field="run_item",
    lock_related=("run", "item"),
)
