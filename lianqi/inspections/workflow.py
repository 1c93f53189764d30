"""The lifecycle of a registered inspection as one table on core's workflow kit: (state,
action) → next state, the workflow roles that may take it and the input it needs. Pages offer
what `workflow.allowed_actions` answers, every step is an action on `take_step`
(`actions.py`), and the tests walk every (state, action, role) of `TABLE`.

A workflow role is held for one inspection:

- office: the service office whose jurisdiction holds it (it alone approves over-cap ones);
- handler: a department handler whose jurisdiction holds it;
- inspector: a member of staff registered as one of its inspectors;
- enterprise: the inspected enterprise (it takes no step: it sees and rates the visit).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Transition, Workflow, transition

from .cells import mark_stale
from .choices import InspectionAction as A
from .choices import InspectionState as S
from .models import Inspection, InspectionEvent

OFFICE = "office"
HANDLER = "handler"
INSPECTOR = "inspector"
ENTERPRISE = Role.ENTERPRISE.value
#: The workflow roles, in the order pages list them.
ROLES: tuple[str, ...] = (OFFICE, HANDLER, INSPECTOR, ENTERPRISE)

TABLE: dict[tuple[str, str], Transition] = {
    # Over a cap: only the service office lets the inspection go ahead (or not), with its reason.
    (S.AWAITING, A.APPROVE): transition(S.REGISTERED, OFFICE, needs=("note",)),
    (S.AWAITING, A.REFUSE): transition(S.REFUSED, OFFICE, needs=("note",)),
    (S.AWAITING, A.CANCEL): transition(S.CANCELLED, OFFICE, HANDLER, needs=("note",)),
    (S.REGISTERED, A.CHECK_IN): transition(S.CHECKED_IN, INSPECTOR, OFFICE, HANDLER, needs=("scanned_code",)),
    (S.CHECKED_IN, A.CLOSE): transition(
        S.CLOSED,
        INSPECTOR,
        OFFICE,
        HANDLER,
        needs=("finding", "rectification_days", "lenient_item", "result"),
    ),
    # A rectification order is followed up once: rectified on a date, or escalated.
    (S.CLOSED, A.CONFIRM_RECTIFIED): transition(
        S.CLOSED, INSPECTOR, OFFICE, HANDLER, needs=("rectified_on",), guard=lambda row: row.awaits_follow_up
    ),
    (S.CLOSED, A.ESCALATE): transition(
        S.CLOSED,
        INSPECTOR,
        OFFICE,
        HANDLER,
        needs=("note", "lenient_item"),
        guard=lambda row: row.awaits_follow_up,
    ),
    (S.REGISTERED, A.CANCEL): transition(S.CANCELLED, OFFICE, HANDLER, needs=("note",)),
}


def roles_for(row: Inspection, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
    """The workflow roles `actor` (or, with ``actor=None``, `enterprise` through its code)
    holds for this inspection (see the module docstring)."""
    if actor is None:
        own = enterprise is not None and enterprise.pk == row.enterprise_id
        return frozenset({ENTERPRISE}) if own else frozenset()
    roles: set[str] = set()
    if has_role(actor, (Role.ENTERPRISE,)) and actor.enterprise_id == row.enterprise_id:
        roles.add(ENTERPRISE)
    if path_visible(actor, row.jurisdiction_path):
        if has_role(actor, (Role.SERVICE_OFFICE,)):
            roles.add(OFFICE)
        if has_role(actor, (Role.DEPARTMENT_HANDLER,)):
            roles.add(HANDLER)
        if row.inspectors.filter(staff__user=actor).exists():
            roles.add(INSPECTOR)
    return frozenset(roles)


def needs_of(action: str) -> tuple[str, ...]:
    """The input a step needs wherever the table has it."""
    names = (name for (_state, a), step in TABLE.items() if a == action for name in step.needs)
    return tuple(dict.fromkeys(names))


workflow: Workflow[Inspection] = Workflow(
    model=Inspection,
    table=TABLE,
    roles_for=roles_for,
    noun=_("执法检查"),
    states=S,
    actions=A,
    event_model=InspectionEvent,
    subject_field="inspection",
    # Every step marks the statistics' day cell of its planned day stale, in its transaction.
    recorded=mark_stale,
)
