"""Invitations to a matching event (供需对接会) drawn from a rule and from open needs: the office
previews who would be invited (`invitation_preview`), then sends (`send_invitations`). Suppliers
are the register's enterprises a one-rule file admits (`policies.subjects.eligible_ids`, the
same engine run as the policies' matching); buyers are the enterprises with open needs in the
event's industry, or, for a chain's event, the chain's firms with open needs. Each invitation is
one participant row and one in-app message per account user, keyed in the outbox, so sending
again invites nobody twice. Attendance is then marked on the invited (`invite`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.models import User
from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.notifications.actions import queue_notification
from lianqi.notifications.models import Channel
from lianqi.policies.subjects import eligible_ids
from lianqi.rules.errors import RuleError

from ..choices import ListingState, ParticipantRole
from ..models import ChainFirm, FairParticipant, MatchingFair, Need


@dataclass(frozen=True)
class Invitation:
    """One enterprise the event would invite, in which role, and why."""

    enterprise_id: int
    role: str
    reason: str


def invitation_preview(fair: MatchingFair, rule: Mapping[str, Any] | None, on: dt.date) -> list[Invitation]:
    """Who `send_invitations` would invite: buyers from open needs, suppliers from `rule`
    (a one-rule file; none when it is empty), the event's jurisdiction only. An enterprise with
    an open need is a buyer even when the rule admits it too."""
    firms = Enterprise.objects.filter(
        jurisdiction_path__startswith=fair.jurisdiction_path, status=EnterpriseStatus.ACTIVE
    )
    needs = Need.objects.filter(jurisdiction_path__startswith=fair.jurisdiction_path, state=ListingState.OPEN)
    if fair.chain_id is not None:
        chain_firms = ChainFirm.objects.filter(chain_id=fair.chain_id).values_list("enterprise_id", flat=True)
        needs = needs.filter(enterprise_id__in=list(chain_firms))
    elif fair.industry_id is not None:
        needs = needs.filter(industry__code__startswith=fair.industry.code)  # type: ignore[union-attr]
    buyers = set(needs.values_list("enterprise_id", flat=True))
    suppliers = eligible_ids(firms, rule, on) - buyers if rule else set()
    found = [Invitation(i, ParticipantRole.BUYER, _("有未满足的采购需求")) for i in sorted(buyers)]
    found += [Invitation(i, ParticipantRole.SUPPLIER, _("符合邀请规则")) for i in sorted(suppliers)]
    return found


def send_invitations(
    *, fair: MatchingFair, rule: Mapping[str, Any] | None, actor: Actor, at: dt.datetime | None = None
) -> list[FairParticipant]:
    """Invite the previewed enterprises (the office of the event's jurisdiction) and tell their
    account users in the app. Enterprises already invited are left as they are; the new
    participants are returned."""
    at = at or timezone.now()
    if not has_role(actor, (Role.SERVICE_OFFICE,)) or not path_visible(actor, fair.jurisdiction_path):
        raise ValidationError({"rule": _("只有本辖区的营商办可以发送对接会邀请")})
    try:
        preview = invitation_preview(fair, rule, timezone.localdate(at))
    except (RuleError, ValueError, KeyError, TypeError) as bad:
        raise ValidationError({"rule": _("邀请规则无效：%(error)s") % {"error": bad}}) from bad
    created: list[FairParticipant] = []
    with transaction.atomic():
        MatchingFair.objects.select_for_update().get(pk=fair.pk)
        already = set(fair.participants.values_list("enterprise_id", flat=True))
        for invitation in preview:
            if invitation.enterprise_id in already:
                continue
            created.append(
                FairParticipant.objects.create(
                    fair=fair,
                    enterprise_id=invitation.enterprise_id,
                    role=invitation.role,
                    invited_by=actor,
                    reason=invitation.reason[:200],
                )
            )
        subject = _("邀请您参加%(date)s举办的“%(theme)s”") % {
            "date": fair.held_on.isoformat(),
            "theme": fair.theme,
        }
        for row in created:
            for user in User.objects.filter(enterprise_id=row.enterprise_id, is_active=True).order_by("pk"):
                queue_notification(
                    channel=Channel.IN_APP,
                    recipient=user,
                    subject=subject,
                    # No link: the event's page is the staff's; the message says all it needs.
                    body=_("%(date)s，%(theme)s。请按时参会，带上贵企业的产品资料或采购需求。")
                    % {"date": fair.held_on.isoformat(), "theme": fair.theme},
                    dedupe_key=f"market-fair-invite:{fair.pk}:{row.enterprise_id}:{user.pk}",
                    at=at,
                )
    return created
