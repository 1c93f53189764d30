"""Invitations to a bank–enterprise matching event (银企对接会) drawn from a rule and from the
financing-difficulty demands: the office previews who would be invited (`invitation_preview`),
then sends (`send_event_invitations`). The rule is a condition over the register run by the
same engine as the policies' matching (`policies.subjects.eligible_ids`; a pilot's whitelist
is an attribute it can test); the demands are those of category 融资困难 received in the
months before the event. Each invitation is one row and one in-app message per account user,
keyed in the outbox, so sending again invites nobody twice."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.models import User
from lianqi.core.actors import Actor
from lianqi.demands.models import Demand
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.notifications.actions import queue_notification
from lianqi.notifications.models import Channel
from lianqi.policies.subjects import eligible_ids
from lianqi.rules.errors import RuleError

from ..choices import FINANCING_CATEGORY
from ..models import EventInvitation, MatchingEvent
from .checks import check_office

#: The longest look back at financing-difficulty demands, in months.
MAX_DEMAND_MONTHS = 24


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` months before `day` (the month's last day when it
    has no such day: six months before 31 August is 28 or 29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Invitation:
    """One enterprise the event would invite, and why."""

    enterprise_id: int
    reason: str


def invitation_preview(
    event: MatchingEvent, rule: Mapping[str, Any] | None, demand_months: int, on: dt.date
) -> list[Invitation]:
    """Who `send_event_invitations` would invite: the active enterprises of the event's
    jurisdiction that `rule` admits (a one-rule file; none when empty), and those that raised a
    financing-difficulty demand in the `demand_months` months before `on` (none when 0)."""
    if not 0 <= demand_months <= MAX_DEMAND_MONTHS:
        raise ValidationError(
            {"demand_months": _("诉求回溯月数须在 0 至 %(most)s 之间") % {"most": MAX_DEMAND_MONTHS}}
        )
    firms = Enterprise.objects.filter(
        jurisdiction_path__startswith=event.jurisdiction_path, status=EnterpriseStatus.ACTIVE
    )
    try:
        by_rule = eligible_ids(firms, rule, on) if rule else set()
    except (RuleError, ValueError, KeyError, TypeError) as bad:
        raise ValidationError({"rule": _("邀请规则无效：%(error)s") % {"error": bad}}) from bad
    by_demand: set[int] = set()
    if demand_months:
        since = months_before(on, demand_months)
        by_demand = set(
            Demand.objects.filter(
                enterprise__in=firms,
                category__name=FINANCING_CATEGORY,
                received_at__date__gte=since,
                received_at__date__lte=on,
            ).values_list("enterprise_id", flat=True)
        )
    rule_reason = _("符合邀请规则")
    demand_reason = _("近 %(months)s 个月有融资困难诉求") % {"months": demand_months}
    found = []
    for enterprise_id in sorted(by_rule | by_demand):
        reasons = [rule_reason] * (enterprise_id in by_rule) + [demand_reason] * (enterprise_id in by_demand)
        found.append(Invitation(enterprise_id, "；".join(reasons)))
    return found


def send_event_invitations(
    *,
    event: MatchingEvent,
    rule: Mapping[str, Any] | None,
    demand_months: int,
    actor: Actor,
    at: dt.datetime | None = None,
) -> list[EventInvitation]:
    """Invite the previewed enterprises (the office of the event's jurisdiction) and tell their
    account users in the app. Enterprises already invited are left as they are; the new
    invitations are returned."""
    at = at or timezone.now()
    check_office(actor, event.jurisdiction_path, "event")
    preview = invitation_preview(event, rule, demand_months, timezone.localdate(at))
    if not preview:
        raise ValidationError({"rule": _("没有符合条件的企业，请调整邀请规则或诉求回溯月数")})
    created: list[EventInvitation] = []
    with transaction.atomic():
        MatchingEvent.objects.select_for_update().get(pk=event.pk)
        already = set(event.invitations.values_list("enterprise_id", flat=True))
        for invitation in preview:
            if invitation.enterprise_id in already:
                continue
            created.append(
                EventInvitation.objects.create(
                    event=event,
                    enterprise_id=invitation.enterprise_id,
                    reason=invitation.reason[:200],
                    invited_by=actor,
                )
            )
        words = {"date": event.held_on.isoformat(), "title": event.title, "place": event.place or "—"}
        for row in created:
            for user in User.objects.filter(enterprise_id=row.enterprise_id, is_active=True).order_by("pk"):
                queue_notification(
                    channel=Channel.IN_APP,
                    recipient=user,
                    subject=_("邀请您参加%(date)s举办的“%(title)s”") % words,
                    # No link: the event's page is the staff's; the message says all it needs.
                    body=_(
                        "%(date)s，%(title)s，地点：%(place)s。银行现场对接融资需求，请带上企业近期财务报表。"
                    )
                    % words,
                    dedupe_key=f"finance-event-invite:{event.pk}:{row.enterprise_id}:{user.pk}",
                    at=at,
                )
    return created
