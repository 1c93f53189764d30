"""An application's lifecycle as one table on core's workflow kit: (state, action) → next
state, the workflow roles that may take it and the input it needs. Pages offer what
`workflow.allowed_actions` answers, every step is an action on `take_step` (`actions.py`),
and the tests walk every (state, action, role) of `TABLE`.

A workflow role is held for one application:

- bank: a user of the institution the application was made to (the financial-institution
  role, a member of that institution);
- enterprise: the application is the enterprise's own, acted on by its account.

The park's office watches but takes no step of the bank's: what it does with an application
that stalls (turn it into a demand) is an action outside the table.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.workflow import Transition, Workflow, transition

from .cells import mark_stale
from .choices import ApplicationAction as A
from .choices import ApplicationState as S
from .models import Application, ApplicationEvent

BANK = Role.FINANCE.value
ENTERPRISE = Role.ENTERPRISE.value
#: The workflow roles, in the order pages list them.
ROLES: tuple[str, ...] = (BANK, ENTERPRISE)

TABLE: dict[tuple[str, str], Transition] = {
    (S.SUBMITTED, A.ACCEPT): transition(S.ACCEPTED, BANK),
    (S.SUBMITTED, A.DECLINE): transition(S.DECLINED, BANK, needs=("reason",)),
    (S.SUBMITTED, A.WITHDRAW): transition(S.WITHDRAWN, ENTERPRISE),
    # Due diligence (尽职调查) is a step of its own: credit is granted only after it. An
    # application plainly outside the bank's appetite may still be declined on acceptance.
    (S.ACCEPTED, A.INVESTIGATE): transition(S.DILIGENCE, BANK),
    (S.ACCEPTED, A.DECLINE): transition(S.DECLINED, BANK, needs=("reason",)),
    (S.ACCEPTED, A.WITHDRAW): transition(S.WITHDRAWN, ENTERPRISE),
    (S.DILIGENCE, A.APPROVE): transition(S.APPROVED, BANK, needs=("granted_yuan",)),
    (S.DILIGENCE, A.DECLINE): transition(S.DECLINED, BANK, needs=("reason",)),
    (S.DILIGENCE, A.WITHDRAW): transition(S.WITHDRAWN, ENTERPRISE),
    (S.APPROVED, A.DISBURSE): transition(S.DISBURSED, BANK, needs=("disbursed_yuan", "disbursed_on")),
    # A loan may be paid out in several tranches, their sum never above the credit granted.
    (S.DISBURSED, A.DISBURSE): transition(S.DISBURSED, BANK, needs=("disbursed_yuan", "disbursed_on")),
    # Closed: nothing more will be paid out (the loan is settled, or the credit is not drawn).
    (S.APPROVED, A.CLOSE): transition(S.CLOSED, BANK),
    (S.DISBURSED, A.CLOSE): transition(S.CLOSED, BANK),
}


def is_member(actor: Any, institution_id: int) -> bool:
    """Whether `actor` is a user of the institution (and holds the financial-institution role)."""
    return has_role(actor, (Role.FINANCE,)) and actor.finance_institutions.filter(pk=institution_id).exists()


def roles_for(row: Application, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
    """The workflow roles `actor` holds for this application (see the module docstring)."""
    if actor is None:
        return frozenset()
    roles: set[str] = set()
    if has_role(actor, (Role.ENTERPRISE,)) and actor.enterprise_id == row.enterprise_id:
        roles.add(ENTERPRISE)
    if is_member(actor, row.institution_id):
        roles.add(BANK)
    return frozenset(roles)


def needs_of(action: str) -> tuple[str, ...]:
    """The input a step needs wherever the table has it."""
    names = (name for (_state, a), step in TABLE.items() if a == action for name in step.needs)
    return tuple(dict.fromkeys(names))


workflow: Workflow[Application] = Workflow(
    model=Application,
    table=TABLE,
    roles_for=roles_for,
    noun=_("融资申请"),
    states=S,
    actions=A,
    event_model=ApplicationEvent,
    subject_field="application",
    # Every step marks the figures' day cells it touches stale, in its own transaction.
    recorded=mark_stale,
)
