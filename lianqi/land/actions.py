"""Every write of this wing: registering an item, and one keyword-only, typed `verb_noun`
action per step of the table (`workflow.TABLE`) on core's `take_step`, which runs it in one
transaction: lock the item, refuse a stale `expected_version` (naming who changed it), check
the table for the actor, apply the step's change, write the event row, and queue side effects
(``step.after_commit``) for after the commit. An enterprise acting through its code passes
``actor=None, enterprise=…``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Step, required_text, take_step
from lianqi.enterprises.models import Enterprise

from .choices import LandAction
from .models import Land
from .workflow import workflow


def create_land(
    *, enterprise: Enterprise, title: str, actor: Actor, at: dt.datetime | None = None
) -> Land:
    """Register a new item of `enterprise`, as a draft in the enterprise's jurisdiction, with
    the first event of its history. Only for an enterprise inside the actor's jurisdiction."""
    at = at or timezone.now()
    title = required_text(title, "title", _("请填写标题"))
    if not path_visible(actor, enterprise.jurisdiction_path):
        raise ValidationError({"enterprise": _("不能为您管辖范围以外的企业登记事项")})
    with transaction.atomic():
        row = Land.objects.create(
            jurisdiction_id=enterprise.jurisdiction_id,
            enterprise=enterprise,
            title=title,
            last_actor=actor,
            last_changed_at=at,
        )
        workflow.record(row, action=LandAction.CREATE, from_state="", actor=actor, at=at)
    return row


def submit_land(
    *,
    land: Land,
    actor: Actor | None,
    expected_version: int,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Land:
    """Submit a draft for review: the service office, or the enterprise itself."""
    return take_step(
        workflow,
        row=land,
        action=LandAction.SUBMIT,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
    )


def approve_land(
    *,
    land: Land,
    actor: Actor | None,
    expected_version: int,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Land:
    """Approve a submitted item."""
    return take_step(
        workflow,
        row=land,
        action=LandAction.APPROVE,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
    )


def return_land(
    *,
    land: Land,
    actor: Actor | None,
    expected_version: int,
    note: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Land:
    """Send a submitted item back to its draft, saying why (the reason is the event's note)."""

    def change(step: Step[Land]) -> None:
        step.note = required_text(note, "note", _("请填写退回理由"))

    return take_step(
        workflow,
        row=land,
        action=LandAction.RETURN,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def close_land(
    *,
    land: Land,
    actor: Actor | None,
    expected_version: int,
    outcome: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Land:
    """Close an approved item with how it ended."""

    def change(step: Step[Land]) -> None:
        step.row.outcome = required_text(outcome, "outcome", _("请填写办理结果"))
        step.note = step.row.outcome

    return take_step(
        workflow,
        row=land,
        action=LandAction.CLOSE,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


#: The action of each step by the table's name for it: what the step page and the API call
#: with the input the step needs (`workflow.needs_of`).
STEPS: dict[str, Callable[..., Land]] = {
    LandAction.SUBMIT: submit_land,
    LandAction.APPROVE: approve_land,
    LandAction.RETURN: return_land,
    LandAction.CLOSE: close_land,
}
