"""The demand lifecycle as one table on core's workflow kit: (state, action) → next state, who
may, what is needed.

Buttons, API actions, documentation and tests are drawn from `TABLE`, so the rules are
written once. `WORKFLOW.check` is what every step calls (through `take_step`);
`WORKFLOW.allowed_actions` is what pages and the API offer.

Who acts: a logged-in user, or an enterprise acting through its code without an account
(营商码). The latter is written as ``actor=None, enterprise=<the enterprise>``; an enterprise
user with an account is recognised by its role and `user.enterprise`. A user holds a workflow
role *for one demand* only when it applies to that demand:

- liaison: the enterprise's current liaison (`enterprise.liaison` is the user's staff row);
- department handler: the demand's lead department is the user's `staff.department`;
- service office, leader: the demand lies inside the user's jurisdiction;
- enterprise: the demand is the enterprise's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.utils.translation import gettext_lazy

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Transition, Workflow, WorkflowEvent, transition

from . import notify, statistics
from .choices import DemandAction as A
from .choices import DemandState as S
from .models import Demand, DemandEvent

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


_OFFICE = (OFFICE, LEADER)
_HANDLING = (S.ASSIGNED, S.SIGNED, S.HANDLING)

TABLE: dict[tuple[S, A], Transition] = {
    (S.RECEIVED, A.SOLVE_ON_SPOT): transition(S.CLOSED, LIAISON, OFFICE, needs=("note",)),
    (S.RECEIVED, A.ASSIGN): transition(S.ASSIGNED, *_OFFICE, needs=("department", "workdays")),
    (S.RECEIVED, A.CLOSE): transition(S.CLOSED, OFFICE, needs=("outcome", "note")),
    (S.ASSIGNED, A.SIGN): transition(S.SIGNED, HANDLER),
    (S.ASSIGNED, A.SEND_BACK): transition(S.SENT_BACK, HANDLER, needs=("reason",)),
    (S.SIGNED, A.START): transition(S.HANDLING, HANDLER),
    (S.SIGNED, A.SEND_BACK): transition(S.SENT_BACK, HANDLER, needs=("reason",)),
    (S.SENT_BACK, A.REROUTE): transition(S.ASSIGNED, OFFICE, needs=("department",)),
    (S.SENT_BACK, A.CLOSE): transition(S.CLOSED, OFFICE, needs=("outcome", "note")),
    (S.REPLIED, A.RATE): transition(S.CLOSED, ENTERPRISE, needs=("contacted", "solved", "satisfaction")),
    (S.REPLIED, A.RATE_REDO): transition(
        S.ASSIGNED, ENTERPRISE, needs=("contacted", "solved", "satisfaction")
    ),
    (S.REPLIED, A.RETURN_VISIT): transition(S.CLOSED, OFFICE, needs=("contacted", "solved", "satisfaction")),
    (S.REPLIED, A.RETURN_VISIT_REDO): transition(
        S.ASSIGNED, OFFICE, needs=("contacted", "solved", "satisfaction")
    ),
    (S.ESCALATED, A.DECIDE_REASSIGN): transition(
        S.ASSIGNED, *_OFFICE, needs=("department", "workdays", "note")
    ),
    (S.ESCALATED, A.DECIDE_CLOSE): transition(S.CLOSED, *_OFFICE, needs=("outcome", "note")),
}

for _state in (S.SIGNED, S.HANDLING):
    TABLE[(_state, A.REPLY)] = transition(S.REPLIED, HANDLER, needs=("outcome", "note"))
    TABLE[(_state, A.REQUEST_EXTENSION)] = transition(
        _state, HANDLER, needs=("workdays", "reason"), guard=_no_extension_pending
    )
    TABLE[(_state, A.APPROVE_EXTENSION)] = transition(_state, *_OFFICE, guard=_extension_pending)
    TABLE[(_state, A.REJECT_EXTENSION)] = transition(_state, *_OFFICE, guard=_extension_pending)

for _state in (S.RECEIVED, *_HANDLING, S.SENT_BACK):
    TABLE[(_state, A.ESCALATE)] = transition(
        S.ESCALATED, *_OFFICE, needs=("venue", "meeting", "meeting_on", "owner")
    )

for _state in (S.RECEIVED, *_HANDLING, S.SENT_BACK, S.ESCALATED):
    TABLE[(_state, A.WITHDRAW)] = transition(S.CLOSED, ENTERPRISE, LIAISON, OFFICE, needs=("note",))

for _state in (S.RECEIVED, *_HANDLING, S.SENT_BACK, S.ESCALATED):
    # A duplicate closes into the demand it repeats; both keep their histories.
    TABLE[(_state, A.MERGE)] = transition(S.CLOSED, OFFICE, needs=("into", "note"))

for _state in (*_HANDLING, S.SENT_BACK, S.ESCALATED, S.REPLIED):
    # Supervision and reminders leave the state alone; they only write an event.
    TABLE[(_state, A.SUPERVISE)] = transition(_state, *_OFFICE, needs=("note",))
for _state in _HANDLING:
    TABLE[(_state, A.REMIND)] = transition(_state, *_OFFICE)


def roles_for(demand: Demand, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
    """The workflow roles `actor` (or, with ``actor=None``, `enterprise` through its code) holds
    for this demand (see the module docstring)."""
    if actor is None:
        if enterprise is not None and enterprise.pk == demand.enterprise_id:
            return frozenset({ENTERPRISE})
        return frozenset()
    if not getattr(actor, "is_authenticated", False):
        return frozenset()
    roles: set[str] = set()
    if has_role(actor, (Role.ENTERPRISE,)) and getattr(actor, "enterprise_id", None) == demand.enterprise_id:
        roles.add(ENTERPRISE)
    if not path_visible(actor, demand.jurisdiction_path):
        return frozenset(roles)
    if has_role(actor, (Role.SERVICE_OFFICE,)):
        roles.add(OFFICE)
    if has_role(actor, (Role.LEADER,)):
        roles.add(LEADER)
    staff = getattr(actor, "staff", None)
    if staff is not None:
        if has_role(actor, (Role.LIAISON,)) and demand.enterprise.liaison_id == staff.pk:
            roles.add(LIAISON)
        if (
            has_role(actor, (Role.DEPARTMENT_HANDLER,))
            and demand.lead_department_id is not None
            and staff.department_id == demand.lead_department_id
        ):
            roles.add(HANDLER)
    return frozenset(roles)


def recorded(event: WorkflowEvent) -> None:
    """What every event of a demand implies, in the step's own transaction: its notifications
    are queued (the outbox delivers them after commit, so a failing channel never undoes the
    step) and the statistics of the day the demand was received are marked stale."""
    assert isinstance(event, DemandEvent)
    notify.event_recorded(event)
    statistics.mark_stale(event.demand)


WORKFLOW: Workflow[Demand] = Workflow(
    model=Demand,
    # The kit reads the table by plain strings; its keys are this lifecycle's choices.
    table=cast(Mapping[tuple[str, str], Transition], TABLE),
    roles_for=roles_for,
    noun=gettext_lazy("诉求"),
    states=S,
    actions=A,
    event_model=DemandEvent,
    subject_field="demand",
    # Not `last_actor`: on PostgreSQL a joined row is read before the lock wait, so the loser
    # of a race would be told the wrong colleague's name.
    lock_related=("enterprise",),
    recorded=recorded,
)
