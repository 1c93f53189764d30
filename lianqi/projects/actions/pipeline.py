"""The attraction pipeline's writes (招商): registering a lead, and one typed action per step of
the lead table (`workflow.LEAD_TABLE`) on core's `take_step`, each with the date the stage was
reached (signing with the amount signed); a lead is dropped with the reason. A date before the
lead's previous stage, or after today, is refused on the field `on`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Step, required_text, take_step
from lianqi.org.models import Jurisdiction

from ..choices import LEAD_DATE_FIELDS, PIPELINE, LeadAction, LeadStage
from ..models import Lead
from ..workflow import lead_workflow
from .checks import amount as yuan


def create_lead(
    *,
    jurisdiction: Jurisdiction,
    name: str,
    investor: str,
    found_on: dt.date,
    actor: Actor,
    industry: str = "",
    at: dt.datetime | None = None,
) -> Lead:
    """Register a lead of the actor's jurisdiction with the first event of its history."""
    at = at or timezone.now()
    name = required_text(name, "name", _("请填写项目名称"))
    investor = required_text(investor, "investor", _("请填写投资方"))
    if not path_visible(actor, jurisdiction.path):
        raise ValidationError({"jurisdiction": _("不能为您管辖范围以外登记招商项目")})
    if found_on is None or found_on > timezone.localdate(at):
        raise ValidationError({"found_on": _("线索日期不能晚于今天")})
    with transaction.atomic():
        row = Lead.objects.create(
            jurisdiction=jurisdiction,
            name=name,
            investor=investor,
            industry=industry,
            found_on=found_on,
            last_actor=actor,
            last_changed_at=at,
        )
        lead_workflow.record(row, action=LeadAction.CREATE, from_state="", actor=actor, at=at)
    return row


def _last_day(row: Lead) -> dt.date | None:
    days = [getattr(row, LEAD_DATE_FIELDS[s]) for s in PIPELINE]
    return max((d for d in days if d is not None), default=None)


def _step(
    action: str,
    *,
    lead: Lead,
    actor: Actor | None,
    expected_version: int,
    on: dt.date | None,
    at: dt.datetime | None,
    change_more: Callable[[Step[Lead]], None] | None = None,
) -> Lead:
    at = at or timezone.now()

    def change(step: Step[Lead]) -> None:
        row = step.row
        if on is None:
            raise ValidationError({"on": _("请填写日期")})
        if on > timezone.localdate(at):
            raise ValidationError({"on": _("日期不能晚于今天")})
        last = _last_day(row)
        if last is not None and on < last:
            raise ValidationError({"on": _("日期不能早于上一阶段（%(day)s）") % {"day": last.isoformat()}})
        target = step.transition.next_state
        if target == LeadStage.DROPPED:
            row.dropped_on = on
        else:
            setattr(row, LEAD_DATE_FIELDS[target], on)
        if change_more is not None:
            change_more(step)

    return take_step(
        lead_workflow,
        row=lead,
        action=action,
        actor=actor,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def talk_lead(
    *, lead: Lead, actor: Actor | None, expected_version: int, on: dt.date, at: dt.datetime | None = None
) -> Lead:
    """Talks have begun with the investor."""
    return _step(LeadAction.TALK, lead=lead, actor=actor, expected_version=expected_version, on=on, at=at)


def sign_lead(
    *,
    lead: Lead,
    actor: Actor | None,
    expected_version: int,
    on: dt.date,
    amount: Decimal | Any,
    at: dt.datetime | None = None,
) -> Lead:
    """The investment agreement is signed, for `amount` yuan (to the fen)."""

    def more(step: Step[Lead]) -> None:
        step.row.amount = yuan(amount, "amount", positive=True)

    return _step(
        LeadAction.SIGN,
        lead=lead,
        actor=actor,
        expected_version=expected_version,
        on=on,
        at=at,
        change_more=more,
    )


def register_lead(
    *, lead: Lead, actor: Actor | None, expected_version: int, on: dt.date, at: dt.datetime | None = None
) -> Lead:
    """The project company is registered in the park."""
    return _step(LeadAction.REGISTER, lead=lead, actor=actor, expected_version=expected_version, on=on, at=at)


def land_lead(
    *, lead: Lead, actor: Actor | None, expected_version: int, on: dt.date, at: dt.datetime | None = None
) -> Lead:
    """The project has its land."""
    return _step(
        LeadAction.OBTAIN_LAND, lead=lead, actor=actor, expected_version=expected_version, on=on, at=at
    )


def start_lead(
    *, lead: Lead, actor: Actor | None, expected_version: int, on: dt.date, at: dt.datetime | None = None
) -> Lead:
    """Construction has started."""
    return _step(LeadAction.START, lead=lead, actor=actor, expected_version=expected_version, on=on, at=at)


def produce_lead(
    *, lead: Lead, actor: Actor | None, expected_version: int, on: dt.date, at: dt.datetime | None = None
) -> Lead:
    """The project is in production."""
    return _step(LeadAction.PRODUCE, lead=lead, actor=actor, expected_version=expected_version, on=on, at=at)


def drop_lead(
    *,
    lead: Lead,
    actor: Actor | None,
    expected_version: int,
    on: dt.date,
    note: str,
    at: dt.datetime | None = None,
) -> Lead:
    """Talks ended without a signing, saying why."""

    def more(step: Step[Lead]) -> None:
        step.note = required_text(note, "note", _("请填写终止原因"))

    return _step(
        LeadAction.DROP,
        lead=lead,
        actor=actor,
        expected_version=expected_version,
        on=on,
        at=at,
        change_more=more,
    )


#: The action of each step of the lead table by its name.
LEAD_STEPS: dict[str, Callable[..., Lead]] = {
    LeadAction.TALK: talk_lead,
    LeadAction.SIGN: sign_lead,
    LeadAction.REGISTER: register_lead,
    LeadAction.OBTAIN_LAND: land_lead,
    LeadAction.START: start_lead,
    LeadAction.PRODUCE: produce_lead,
    LeadAction.DROP: drop_lead,
}
