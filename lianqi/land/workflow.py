"""The two lifecycles of the land supermarket as tables on core's workflow kit: (state, action)
→ next state, the workflow roles that may take it and the input it needs.

- A parcel's own steps: the office puts a planned parcel on the shelf or takes it off, and
  confirms a sold one built. Its other moves (reserved, in transaction, sold, back on the
  shelf) follow its reservation's steps, in the same transaction (`actions.py`).
- A reservation: the office confirms or releases it, lists the parcel (挂牌) with its dates,
  records the deal (price, contract) and the handover; the enterprise may withdraw its own
  before listing. A reservation not listed by its last working day expires (`sweeps.py`).

Workflow roles, held for one row: office and leader of a jurisdiction that holds it; the
enterprise whose reservation it is (its account, or through its code with ``actor=None``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Transition, Workflow, transition

from .choices import ParcelAction as PA
from .choices import ParcelStatus as PS
from .choices import ReservationAction as A
from .choices import ReservationState as S
from .models import Parcel, ParcelEvent, Reservation, ReservationEvent

OFFICE = Role.SERVICE_OFFICE.value
LEADER = Role.LEADER.value
ENTERPRISE = Role.ENTERPRISE.value
#: The workflow roles, in the order pages list them.
ROLES: tuple[str, ...] = (OFFICE, LEADER, ENTERPRISE)

PARCEL_TABLE: dict[tuple[str, str], Transition] = {
    (PS.PLANNED, PA.PUBLISH): transition(PS.AVAILABLE, OFFICE),
    (PS.AVAILABLE, PA.WITHDRAW): transition(PS.PLANNED, OFFICE, needs=("note",)),
    (PS.SOLD, PA.MARK_BUILT): transition(PS.BUILT, OFFICE),
}

TABLE: dict[tuple[str, str], Transition] = {
    (S.REQUESTED, A.APPROVE): transition(S.APPROVED, OFFICE, LEADER),
    (S.REQUESTED, A.RELEASE): transition(S.RELEASED, OFFICE, needs=("note",)),
    (S.REQUESTED, A.WITHDRAW): transition(S.RELEASED, ENTERPRISE),
    (S.APPROVED, A.LIST): transition(S.LISTED, OFFICE, needs=("listing_starts", "listing_ends")),
    (S.APPROVED, A.RELEASE): transition(S.RELEASED, OFFICE, needs=("note",)),
    (S.APPROVED, A.WITHDRAW): transition(S.RELEASED, ENTERPRISE),
    (S.LISTED, A.DEAL): transition(S.DEALT, OFFICE, needs=("deal_price", "contract_no")),
    (S.LISTED, A.RELEASE): transition(S.RELEASED, OFFICE, needs=("note",)),
    (S.DEALT, A.HAND_OVER): transition(S.HANDED_OVER, OFFICE),
}


def _staff_roles(actor: Actor, path: str) -> set[str]:
    roles: set[str] = set()
    if path_visible(actor, path):
        if has_role(actor, (Role.SERVICE_OFFICE,)):
            roles.add(OFFICE)
        if has_role(actor, (Role.LEADER,)):
            roles.add(LEADER)
    return roles


def parcel_roles_for(row: Parcel, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
    """The office and leaders of a jurisdiction holding the parcel; nobody else steps it."""
    if actor is None:
        return frozenset()
    return frozenset(_staff_roles(actor, row.jurisdiction_path))


def roles_for(row: Reservation, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
    """The workflow roles `actor` (or, with ``actor=None``, `enterprise` through its code)
    holds for this reservation (see the module docstring)."""
    if actor is None:
        own = enterprise is not None and enterprise.pk == row.enterprise_id
        return frozenset({ENTERPRISE}) if own else frozenset()
    roles = _staff_roles(actor, row.jurisdiction_path)
    if has_role(actor, (Role.ENTERPRISE,)) and actor.enterprise_id == row.enterprise_id:
        roles.add(ENTERPRISE)
    return frozenset(roles)


def needs_of(action: str, table: dict[tuple[str, str], Transition] = TABLE) -> tuple[str, ...]:
    """The input a step needs wherever the table has it."""
    names = (name for (_state, a), step in table.items() if a == action for name in step.needs)
    return tuple(dict.fromkeys(names))


parcel_workflow: Workflow[Parcel] = Workflow(
    model=Parcel,
    table=PARCEL_TABLE,
    roles_for=parcel_roles_for,
    noun=_("地块"),
    states=PS,
    actions=PA,
    event_model=ParcelEvent,
    subject_field="parcel",
)

workflow: Workflow[Reservation] = Workflow(
    model=Reservation,
    table=TABLE,
    roles_for=roles_for,
    noun=_("用地预订"),
    states=S,
    actions=A,
    event_model=ReservationEvent,
    subject_field="reservation",
)
