"""The repair of a dishonesty record (信用修复) as one table on core's workflow kit: (state, action) → next
state, the workflow roles that may take it and the input it needs. Pages offer what
`workflow.allowed_actions` answers, every step is an action on `take_step`
(`actions.py`), and the tests walk every (state, action, role) of `TABLE`.

A workflow role is held for one record:

- office, leader: the service office or a leader whose jurisdiction holds the record;
- enterprise: the record is the enterprise's own, acted on by its account or, without one,
  through its code (``actor=None, enterprise=<the enterprise>``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Transition, Workflow, transition

from .choices import RepairAction as A
from .choices import RepairState as S
from .models import DishonestyRecord, RecordEvent

OFFICE = Role.SERVICE_OFFICE.value
LEADER = Role.LEADER.value
ENTERPRISE = Role.ENTERPRISE.value
#: The workflow roles, in the order pages list them.
ROLES: tuple[str, ...] = (OFFICE, LEADER, ENTERPRISE)

TABLE: dict[tuple[str, str], Transition] = {
    # 申请 → 材料 → 审核 → 修复: the enterprise (or the office for it) applies and hands in its
    # materials, the office or a leader reviews them, the office confirms the repair's date.
    (S.IN_FORCE, A.APPLY): transition(S.APPLIED, OFFICE, ENTERPRISE, needs=("applied_on",)),
    (S.APPLIED, A.SUBMIT_MATERIALS): transition(S.MATERIALS, OFFICE, ENTERPRISE, needs=("materials",)),
    (S.MATERIALS, A.APPROVE): transition(S.REVIEWED, OFFICE, LEADER, needs=("reviewed_on",)),
    (S.MATERIALS, A.RETURN): transition(S.APPLIED, OFFICE, LEADER, needs=("note",)),
    (S.REVIEWED, A.REPAIR): transition(S.REPAIRED, OFFICE, needs=("repaired_on",)),
}


def roles_for(row: DishonestyRecord, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
    """The workflow roles `actor` (or, with ``actor=None``, `enterprise` through its code)
    holds for this record (see the module docstring)."""
    if actor is None:
        own = enterprise is not None and enterprise.pk == row.enterprise_id
        return frozenset({ENTERPRISE}) if own else frozenset()
    roles: set[str] = set()
    if has_role(actor, (Role.ENTERPRISE,)) and actor.enterprise_id == row.enterprise_id:
        roles.add(ENTERPRISE)
    if path_visible(actor, row.jurisdiction_path):
        if has_role(actor, (Role.SERVICE_OFFICE,)):
            roles.add(OFFICE)
        if has_role(actor, (Role.LEADER,)):
            roles.add(LEADER)
    return frozenset(roles)


def needs_of(action: str) -> tuple[str, ...]:
    """The input a step needs wherever the table has it: a page shown before the record moved
    still posts its fields, and the step is then refused by the table, not by a missing one."""
    names = (name for (_state, a), step in TABLE.items() if a == action for name in step.needs)
    return tuple(dict.fromkeys(names))


workflow: Workflow[DishonestyRecord] = Workflow(
    model=DishonestyRecord,
    table=TABLE,
    roles_for=roles_for,
    noun=_("失信记录"),
    states=S,
    actions=A,
    event_model=RecordEvent,
    subject_field="record",
)
