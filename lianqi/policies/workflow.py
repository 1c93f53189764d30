"""The fulfilment ledger (承诺兑现) as one table on the workflow kit (`lianqi.core.workflow`):
(state, action) → next state, who may, what it needs, and how many working days the
administration then has for its next step. Each step is taken by its own typed action in
`actions.ledger`.

Who acts, for one ledger entry: the service office or a leader of its jurisdiction; the
policy's department (a handler whose staff row is in `policy.department`); the enterprise
itself (an enterprise user of that enterprise, or ``actor=None, enterprise=…`` through its code).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Transition, Workflow, transition
from lianqi.enterprises.models import Enterprise

from .choices import FulfilmentAction as A
from .choices import FulfilmentState as S
from .models import Fulfilment, FulfilmentEvent

OFFICE = Role.SERVICE_OFFICE.value
LEADER = Role.LEADER.value
DEPARTMENT = Role.DEPARTMENT_HANDLER.value
ENTERPRISE = Role.ENTERPRISE.value
ROLES: tuple[str, ...] = (DEPARTMENT, OFFICE, LEADER, ENTERPRISE)

#: Working days the administration has for the step that follows each state; states without
#: an entry wait on the enterprise (notified) or are final. A setting may override them.
STEP_WORKDAYS: dict[str, int] = {
    S.MATCHED: 3,  # tell the enterprise
    S.APPLIED: 10,  # review the application
    S.REVIEWED: 5,  # approve
    S.APPROVED: 15,  # pay
}


def step_workdays(state: str) -> int | None:
    """Working days for the step that follows `state` (None: no deadline runs)."""
    configured = getattr(settings, "LIANQI_FULFILMENT_WORKDAYS", {})
    return configured.get(state, STEP_WORKDAYS.get(state))


def _no_application(entry: Fulfilment) -> bool:
    return entry.no_application


def _needs_application(entry: Fulfilment) -> bool:
    return not entry.no_application


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (S.MATCHED, A.NOTIFY): transition(S.NOTIFIED, OFFICE, DEPARTMENT),
    # An enterprise that finds the policy itself need not wait to be told.
    (S.MATCHED, A.APPLY): transition(
        S.APPLIED, ENTERPRISE, OFFICE, needs=("text",), guard=_needs_application
    ),
    (S.NOTIFIED, A.APPLY): transition(
        S.APPLIED, ENTERPRISE, OFFICE, needs=("text",), guard=_needs_application
    ),
    (S.APPLIED, A.REVIEW): transition(S.REVIEWED, DEPARTMENT, OFFICE, needs=("note",)),
    (S.REVIEWED, A.APPROVE): transition(S.APPROVED, OFFICE, LEADER, needs=("amount",)),
    # 免申即享: beneficiaries listed by the platform are approved without an application.
    (S.MATCHED, A.APPROVE_WITHOUT_APPLICATION): transition(
        S.APPROVED, OFFICE, LEADER, needs=("amount",), guard=_no_application
    ),
    (S.NOTIFIED, A.APPROVE_WITHOUT_APPLICATION): transition(
        S.APPROVED, OFFICE, LEADER, needs=("amount",), guard=_no_application
    ),
    (S.APPROVED, A.DISBURSE): transition(
        S.DISBURSED, OFFICE, DEPARTMENT, needs=("amount", "disbursed_on", "voucher")
    ),
    (S.APPLIED, A.REJECT): transition(S.REJECTED, DEPARTMENT, OFFICE, needs=("reason",)),
    (S.REVIEWED, A.REJECT): transition(S.REJECTED, OFFICE, LEADER, needs=("reason",)),
    # Before the money is paid, the office may correct the amount (the figures it was computed
    # from were corrected) or withdraw the entry (the enterprise no longer qualifies), each
    # with its reason; the step's clock runs on unchanged.
    **{
        (state, A.REVISE): transition(state, OFFICE, LEADER, needs=("amount", "reason"))
        for state in (S.MATCHED, S.NOTIFIED, S.APPLIED, S.REVIEWED, S.APPROVED)
    },
    **{
        (state, A.REVOKE): transition(S.REJECTED, OFFICE, LEADER, needs=("reason",))
        for state in (S.MATCHED, S.NOTIFIED, S.APPLIED, S.REVIEWED, S.APPROVED)
    },
}


def roles_for(
    entry: Fulfilment, user: Actor | None, *, enterprise: Enterprise | None = None
) -> frozenset[str]:
    """The ledger roles `user` (or the enterprise through its code) holds for this entry."""
    if user is None:
        if enterprise is not None and enterprise.pk == entry.enterprise_id:
            return frozenset({ENTERPRISE})
        return frozenset()
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    roles: set[str] = set()
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None) == entry.enterprise_id:
        roles.add(ENTERPRISE)
    if not path_visible(user, entry.jurisdiction_path):
        return frozenset(roles)
    if has_role(user, (Role.SERVICE_OFFICE,)):
        roles.add(OFFICE)
    if has_role(user, (Role.LEADER,)):
        roles.add(LEADER)
    staff = getattr(user, "staff", None)
    if (
        staff is not None
        and has_role(user, (Role.DEPARTMENT_HANDLER,))
        and entry.policy.department_id is not None
        and staff.department_id == entry.policy.department_id
    ):
        roles.add(DEPARTMENT)
    return frozenset(roles)


WORKFLOW: Workflow[Fulfilment] = Workflow(
    model=Fulfilment,
    table=TRANSITIONS,
    roles_for=roles_for,
    noun=gettext_lazy("兑现事项"),
    states=S,
    actions=A,
    event_model=FulfilmentEvent,
    subject_field="fulfilment",
    # The policy names the department that may act; the jurisdiction is read by every save
    # (the row's stored path), so both come with the locked row instead of a query each.
    lock_related=("policy", "jurisdiction"),
)


def needs(entry: Fulfilment, action: str) -> tuple[str, ...]:
    """The input the step `action` needs from the entry's current state (none when the table
    has no such step): what its form asks for."""
    step = TRANSITIONS.get((str(entry.state), str(action)))
    return step.needs if step is not None else ()
