"""The lifecycles of supply and demand on core's workflow kit: offers and needs (open until
withdrawn) and introductions (introduced → deal or dropped). Pages offer what
`allowed_actions` answers, every step is an action on `take_step` (`actions.py`), and the
tests walk every (state, action, role) of each table.

A workflow role is held for one row:

- office: the service office whose jurisdiction holds the row;
- liaison: for an offer or a need, the liaison serving its enterprise; for an introduction,
  any liaison whose jurisdiction holds it;
- enterprise: the offer or need is the enterprise's own, acted on by its account or, without
  one, through its code (``actor=None, enterprise=<the enterprise>``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Transition, Workflow, transition

from .choices import IntroductionAction, IntroductionState, ListingAction, ListingState
from .models import Introduction, IntroductionEvent, Need, NeedEvent, Offer, OfferEvent

OFFICE = Role.SERVICE_OFFICE.value
LIAISON = Role.LIAISON.value
ENTERPRISE = Role.ENTERPRISE.value
#: The workflow roles of offers and needs, in the order pages list them.
LISTING_ROLES: tuple[str, ...] = (OFFICE, LIAISON, ENTERPRISE)
#: The workflow roles of introductions.
INTRODUCTION_ROLES: tuple[str, ...] = (OFFICE, LIAISON)

LISTING_TABLE: dict[tuple[str, str], Transition] = {
    (ListingState.OPEN, ListingAction.WITHDRAW): transition(
        ListingState.WITHDRAWN, OFFICE, LIAISON, ENTERPRISE
    ),
}

INTRODUCTION_TABLE: dict[tuple[str, str], Transition] = {
    (IntroductionState.INTRODUCED, IntroductionAction.RECORD_DEAL): transition(
        IntroductionState.DEAL, OFFICE, LIAISON, needs=("deal_amount", "deal_on")
    ),
    (IntroductionState.INTRODUCED, IntroductionAction.DROP): transition(
        IntroductionState.DROPPED, OFFICE, LIAISON, needs=("drop_reason",)
    ),
}


def serves(actor: Any, enterprise: Any) -> bool:
    """Whether `actor` is the liaison currently serving `enterprise`."""
    staff = getattr(enterprise, "liaison", None)
    return staff is not None and staff.user_id is not None and staff.user_id == getattr(actor, "pk", None)


def listing_roles_for(row: Offer | Need, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
    """The workflow roles `actor` (or `enterprise` through its code) holds for an offer or a
    need (see the module docstring)."""
    if actor is None:
        own = enterprise is not None and enterprise.pk == row.enterprise_id
        return frozenset({ENTERPRISE}) if own else frozenset()
    roles: set[str] = set()
    if has_role(actor, (Role.ENTERPRISE,)) and actor.enterprise_id == row.enterprise_id:
        roles.add(ENTERPRISE)
    if path_visible(actor, row.jurisdiction_path):
        if has_role(actor, (Role.SERVICE_OFFICE,)):
            roles.add(OFFICE)
        if has_role(actor, (Role.LIAISON,)) and serves(actor, row.enterprise):
            roles.add(LIAISON)
    return frozenset(roles)


def introduction_roles_for(
    row: Introduction, actor: Actor | None, *, enterprise: Any = None
) -> frozenset[str]:
    """The workflow roles `actor` holds for an introduction: the office or a liaison of its
    jurisdiction (enterprises follow introductions but do not move them)."""
    if actor is None or not path_visible(actor, row.jurisdiction_path):
        return frozenset()
    roles: set[str] = set()
    if has_role(actor, (Role.SERVICE_OFFICE,)):
        roles.add(OFFICE)
    if has_role(actor, (Role.LIAISON,)):
        roles.add(LIAISON)
    return frozenset(roles)


def needs_of(action: str) -> tuple[str, ...]:
    """The input a step of the introductions' table needs (a stale page still posts its
    fields, and the step is then refused by the table, not by a missing one)."""
    names = (name for (_state, a), step in INTRODUCTION_TABLE.items() if a == action for name in step.needs)
    return tuple(dict.fromkeys(names))


offer_workflow: Workflow[Offer] = Workflow(
    model=Offer,
    table=LISTING_TABLE,
    roles_for=listing_roles_for,
    noun=_("供应"),
    states=ListingState,
    actions=ListingAction,
    event_model=OfferEvent,
    subject_field="offer",
    lock_related=("enterprise",),
)

need_workflow: Workflow[Need] = Workflow(
    model=Need,
    table=LISTING_TABLE,
    roles_for=listing_roles_for,
    noun=_("需求"),
    states=ListingState,
    actions=ListingAction,
    event_model=NeedEvent,
    subject_field="need",
    lock_related=("enterprise",),
)

introduction_workflow: Workflow[Introduction] = Workflow(
    model=Introduction,
    table=INTRODUCTION_TABLE,
    roles_for=introduction_roles_for,
    noun=_("对接"),
    states=IntroductionState,
    actions=IntroductionAction,
    event_model=IntroductionEvent,
    subject_field="introduction",
)
