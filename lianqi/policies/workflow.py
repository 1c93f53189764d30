"""The fulfilment ledger (承诺兑现) as one table: (state, action) → next state, who may, and how
many working days the administration then has for its next step.

Who acts, for one ledger entry: the service office or a leader of its jurisdiction; the
policy's department (a handler whose staff row is in `policy.department`); the enterprise
itself (an enterprise user of that enterprise, or ``user=None, enterprise=…`` through its code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible

from .choices import FulfilmentAction as A
from .choices import FulfilmentState as S

if TYPE_CHECKING:
    from lianqi.enterprises.models import Enterprise

    from .models import Fulfilment

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
    configured = getattr(settings, "LIANQI_FULFILMENT_WORKDAYS", {})
    return configured.get(state, STEP_WORKDAYS.get(state))


def _no_application(entry: Fulfilment) -> bool:
    return entry.no_application


def _needs_application(entry: Fulfilment) -> bool:
    return not entry.no_application


@dataclass(frozen=True)
class Transition:
    """Where a step leads, who may take it, what it needs, and an optional guard."""

    next_state: S
    roles: frozenset[str]
    needs: tuple[str, ...] = ()
    guard: Any = None

    def applies(self, entry: Fulfilment) -> bool:
        return self.guard is None or bool(self.guard(entry))


def _t(next_state: S, *roles: str, needs: tuple[str, ...] = (), guard: Any = None) -> Transition:
    return Transition(next_state, frozenset(roles), needs, guard)


TRANSITIONS: dict[tuple[S, A], Transition] = {
    (S.MATCHED, A.NOTIFY): _t(S.NOTIFIED, OFFICE, DEPARTMENT),
    # An enterprise that finds the policy itself need not wait to be told.
    (S.MATCHED, A.APPLY): _t(S.APPLIED, ENTERPRISE, OFFICE, needs=("text",), guard=_needs_application),
    (S.NOTIFIED, A.APPLY): _t(S.APPLIED, ENTERPRISE, OFFICE, needs=("text",), guard=_needs_application),
    (S.APPLIED, A.REVIEW): _t(S.REVIEWED, DEPARTMENT, OFFICE, needs=("note",)),
    (S.REVIEWED, A.APPROVE): _t(S.APPROVED, OFFICE, LEADER, needs=("amount",)),
    # 免申即享: beneficiaries listed by the platform are approved without an application.
    (S.MATCHED, A.APPROVE_WITHOUT_APPLICATION): _t(
        S.APPROVED, OFFICE, LEADER, needs=("amount",), guard=_no_application
    ),
    (S.NOTIFIED, A.APPROVE_WITHOUT_APPLICATION): _t(
        S.APPROVED, OFFICE, LEADER, needs=("amount",), guard=_no_application
    ),
    (S.APPROVED, A.DISBURSE): _t(
        S.DISBURSED, OFFICE, DEPARTMENT, needs=("amount", "disbursed_on", "voucher")
    ),
    (S.APPLIED, A.REJECT): _t(S.REJECTED, DEPARTMENT, OFFICE, needs=("reason",)),
    (S.REVIEWED, A.REJECT): _t(S.REJECTED, OFFICE, LEADER, needs=("reason",)),
}


class TransitionNotAllowed(Exception):
    """A ledger step this actor may not take now; names the steps that are allowed."""

    def __init__(self, entry: Fulfilment, action: str, allowed: list[A]) -> None:
        self.allowed = allowed
        names = "、".join(str(a.label) for a in allowed) or _("无")
        try:
            label = str(A(action).label)
        except ValueError:
            label = action
        self.message = _("兑现事项当前为“%(state)s”，不能执行“%(action)s”。可执行的操作：%(allowed)s") % {
            "state": entry.get_state_display(),
            "action": label,
            "allowed": names,
        }
        super().__init__(self.message)


def roles_for(entry: Fulfilment, user: Any, *, enterprise: Enterprise | None = None) -> frozenset[str]:
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


def allowed_actions(entry: Fulfilment, user: Any, *, enterprise: Enterprise | None = None) -> list[A]:
    roles = roles_for(entry, user, enterprise=enterprise)
    return [
        action
        for (state, action), transition in TRANSITIONS.items()
        if state == entry.state and roles & transition.roles and transition.applies(entry)
    ]


def check(entry: Fulfilment, action: str, user: Any, *, enterprise: Enterprise | None = None) -> Transition:
    transition = TRANSITIONS.get((S(entry.state), A(action))) if action in A.values else None
    roles = roles_for(entry, user, enterprise=enterprise)
    if transition is None or not roles & transition.roles or not transition.applies(entry):
        raise TransitionNotAllowed(entry, action, allowed_actions(entry, user, enterprise=enterprise))
    return transition
