"""The lifecycle of a visit campaign as one table on core's workflow kit: a draft is published
(its questionnaire's version pinned, visits may be recorded) and later closed. Pages offer what
`workflow.allowed_actions` answers, every step is an action on `take_step` (`actions.py`), and
the tests walk every (state, action, role) of `TABLE`.

A workflow role is held for one campaign: the service office or a leader whose jurisdiction
holds it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Transition, Workflow, transition

from .choices import CampaignAction as A
from .choices import CampaignState as S
from .models import Campaign, CampaignEvent

OFFICE = Role.SERVICE_OFFICE.value
LEADER = Role.LEADER.value
#: The workflow roles, in the order pages list them.
ROLES: tuple[str, ...] = (OFFICE, LEADER)

TABLE: dict[tuple[str, str], Transition] = {
    (S.DRAFT, A.PUBLISH): transition(S.OPEN, OFFICE),
    (S.OPEN, A.CLOSE): transition(S.CLOSED, OFFICE, LEADER),
}


def roles_for(row: Campaign, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
    """The workflow roles `actor` holds for this campaign (an enterprise holds none)."""
    if actor is None or not path_visible(actor, row.jurisdiction_path):
        return frozenset()
    roles: set[str] = set()
    if has_role(actor, (Role.SERVICE_OFFICE,)):
        roles.add(OFFICE)
    if has_role(actor, (Role.LEADER,)):
        roles.add(LEADER)
    return frozenset(roles)


workflow: Workflow[Campaign] = Workflow(
    model=Campaign,
    table=TABLE,
    roles_for=roles_for,
    noun=_("走访活动"),
    states=S,
    actions=A,
    event_model=CampaignEvent,
    subject_field="campaign",
)
