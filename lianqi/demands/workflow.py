"""The demand lifecycle as one table: (state, action) → next state, who may, what is needed.

Buttons, API actions, documentation and tests are drawn from `TRANSITIONS`, so the rules are
written once. `check` is what every action calls; `allowed_actions` is what pages show.

Who acts: a logged-in user, or an enterprise acting through its code without an account
(营商码). The latter is written as ``user=None, enterprise=<the enterprise>``; an enterprise
user with an account is recognised by its role and `user.enterprise`. A user holds a workflow
role *for one demand* only when it applies to that demand:

- liaison: the enterprise's current liaison (`enterprise.liaison` is the user's staff row);
- department handler: the demand's lead department is the user's `staff.department`;
- service office, leader: the demand lies inside the user's jurisdiction;
- enterprise: the demand is the enterprise's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible

from .choices import DemandAction as A
from .choices import DemandState as S

if TYPE_CHECKING:
    from lianqi.enterprises.models import Enterprise

    from .models import Demand

LIAISON = Role.LIAISON.value
HANDLER = Role.DEPARTMENT_HANDLER.value
OFFICE = Role.SERVICE_OFFICE.value
LEADER = Role.LEADER.value
ENTERPRISE = Role.ENTERPRISE.value

#: The roles the lifecycle knows, in the order pages list them.
ROLES: tuple[str, ...] = (LIAISON, HANDLER, OFFICE, LEADER, ENTERPRISE)


def _extension_pending(demand: Demand) -> bool:
    return demand.extension_workdays is not None


def _no_extension_pending(demand: Demand) -> bool:
    return demand.extension_workdays is None


@dataclass(frozen=True)
class Transition:
    """Where an action leads, who may take it, what input it needs, and an optional condition
    on the demand (a pending extension request) beyond its state."""

    next_state: S
    roles: frozenset[str]
    needs: tuple[str, ...] = ()
    guard: Callable[[Demand], bool] | None = None

    def applies(self, demand: Demand) -> bool:
        return self.guard is None or self.guard(demand)


def _t(
    next_state: S, *roles: str, needs: tuple[str, ...] = (), guard: Callable[[Demand], bool] | None = None
) -> Transition:
    return Transition(next_state, frozenset(roles), needs, guard)


_OFFICE = (OFFICE, LEADER)
_HANDLING = (S.ASSIGNED, S.SIGNED, S.HANDLING)

TRANSITIONS: dict[tuple[S, A], Transition] = {
    (S.RECEIVED, A.SOLVE_ON_SPOT): _t(S.CLOSED, LIAISON, OFFICE, needs=("note",)),
    (S.RECEIVED, A.ASSIGN): _t(S.ASSIGNED, *_OFFICE, needs=("department", "workdays")),
    (S.RECEIVED, A.CLOSE): _t(S.CLOSED, OFFICE, needs=("outcome", "note")),
    (S.ASSIGNED, A.SIGN): _t(S.SIGNED, HANDLER),
    (S.ASSIGNED, A.SEND_BACK): _t(S.SENT_BACK, HANDLER, needs=("reason",)),
    (S.SIGNED, A.START): _t(S.HANDLING, HANDLER),
    (S.SIGNED, A.SEND_BACK): _t(S.SENT_BACK, HANDLER, needs=("reason",)),
    (S.SENT_BACK, A.REROUTE): _t(S.ASSIGNED, OFFICE, needs=("department",)),
    (S.SENT_BACK, A.CLOSE): _t(S.CLOSED, OFFICE, needs=("outcome", "note")),
    (S.REPLIED, A.RATE): _t(S.CLOSED, ENTERPRISE, needs=("contacted", "solved", "satisfaction")),
    (S.REPLIED, A.RATE_REDO): _t(S.ASSIGNED, ENTERPRISE, needs=("contacted", "solved", "satisfaction")),
    (S.REPLIED, A.RETURN_VISIT): _t(S.CLOSED, OFFICE, needs=("contacted", "solved", "satisfaction")),
    (S.REPLIED, A.RETURN_VISIT_REDO): _t(S.ASSIGNED, OFFICE, needs=("contacted", "solved", "satisfaction")),
    (S.ESCALATED, A.DECIDE_REASSIGN): _t(S.ASSIGNED, *_OFFICE, needs=("department", "workdays", "note")),
    (S.ESCALATED, A.DECIDE_CLOSE): _t(S.CLOSED, *_OFFICE, needs=("outcome", "note")),
}

for _state in (S.SIGNED, S.HANDLING):
    TRANSITIONS[(_state, A.REPLY)] = _t(S.REPLIED, HANDLER, needs=("outcome", "note"))
    TRANSITIONS[(_state, A.REQUEST_EXTENSION)] = _t(
        _state, HANDLER, needs=("workdays", "reason"), guard=_no_extension_pending
    )
    TRANSITIONS[(_state, A.APPROVE_EXTENSION)] = _t(_state, *_OFFICE, guard=_extension_pending)
    TRANSITIONS[(_state, A.REJECT_EXTENSION)] = _t(_state, *_OFFICE, guard=_extension_pending)

for _state in (S.RECEIVED, *_HANDLING, S.SENT_BACK):
    TRANSITIONS[(_state, A.ESCALATE)] = _t(
        S.ESCALATED, *_OFFICE, needs=("venue", "meeting", "meeting_on", "owner")
    )

for _state in (S.RECEIVED, *_HANDLING, S.SENT_BACK, S.ESCALATED):
    TRANSITIONS[(_state, A.WITHDRAW)] = _t(S.CLOSED, ENTERPRISE, LIAISON, OFFICE, needs=("note",))

for _state in (S.RECEIVED, *_HANDLING, S.SENT_BACK, S.ESCALATED):
    # A duplicate closes into the demand it repeats; both keep their histories.
    TRANSITIONS[(_state, A.MERGE)] = _t(S.CLOSED, OFFICE, needs=("into", "note"))

for _state in (*_HANDLING, S.SENT_BACK, S.ESCALATED, S.REPLIED):
    # Supervision and reminders leave the state alone; they only write an event.
    TRANSITIONS[(_state, A.SUPERVISE)] = _t(_state, *_OFFICE, needs=("note",))
for _state in _HANDLING:
    TRANSITIONS[(_state, A.REMIND)] = _t(_state, *_OFFICE)


class TransitionNotAllowed(Exception):
    """An action that the table does not allow for this demand and this actor. Carries the
    actions that are allowed, so the message can say what may be done instead."""

    def __init__(self, demand: Demand, action: str, allowed: list[A]) -> None:
        self.state = demand.state
        self.action = action
        self.allowed = allowed
        names = "、".join(str(a.label) for a in allowed) or _("无")
        self.message = _("诉求当前为“%(state)s”，不能执行“%(action)s”。可执行的操作：%(allowed)s") % {
            "state": demand.get_state_display(),
            "action": _label(action),
            "allowed": names,
        }
        super().__init__(self.message)


def _label(action: str) -> str:
    try:
        return str(A(action).label)
    except ValueError:
        return action


def roles_for(demand: Demand, user: Any, *, enterprise: Enterprise | None = None) -> frozenset[str]:
    """The workflow roles `user` (or, with ``user=None``, `enterprise` through its code) holds
    for this demand (see the module docstring)."""
    if user is None:
        if enterprise is not None and enterprise.pk == demand.enterprise_id:
            return frozenset({ENTERPRISE})
        return frozenset()
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    roles: set[str] = set()
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None) == demand.enterprise_id:
        roles.add(ENTERPRISE)
    if not path_visible(user, demand.jurisdiction_path):
        return frozenset(roles)
    if has_role(user, (Role.SERVICE_OFFICE,)):
        roles.add(OFFICE)
    if has_role(user, (Role.LEADER,)):
        roles.add(LEADER)
    staff = getattr(user, "staff", None)
    if staff is not None:
        if has_role(user, (Role.LIAISON,)) and demand.enterprise.liaison_id == staff.pk:
            roles.add(LIAISON)
        if (
            has_role(user, (Role.DEPARTMENT_HANDLER,))
            and demand.lead_department_id is not None
            and staff.department_id == demand.lead_department_id
        ):
            roles.add(HANDLER)
    return frozenset(roles)


def allowed_actions(demand: Demand, user: Any, *, enterprise: Enterprise | None = None) -> list[A]:
    """The actions this actor may take on the demand now, in the table's order."""
    roles = roles_for(demand, user, enterprise=enterprise)
    return [
        action
        for (state, action), transition in TRANSITIONS.items()
        if state == demand.state and roles & transition.roles and transition.applies(demand)
    ]


def check(demand: Demand, action: str, user: Any, *, enterprise: Enterprise | None = None) -> Transition:
    """The transition for `action`, or `TransitionNotAllowed` listing what is allowed."""
    transition = TRANSITIONS.get((S(demand.state), A(action))) if action in A.values else None
    roles = roles_for(demand, user, enterprise=enterprise)
    if transition is None or not roles & transition.roles or not transition.applies(demand):
        raise TransitionNotAllowed(demand, action, allowed_actions(demand, user, enterprise=enterprise))
    return transition
