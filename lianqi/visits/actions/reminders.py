"""Reminding the liaisons who are behind in a campaign: an in-app message each, through the
notifications' outbox (`queue_notification`), at most one a day per liaison and campaign."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.roles import has_role
from lianqi.core.scoping import path_visible
from lianqi.notifications.actions import queue_notification
from lianqi.notifications.models import Channel, Notification
from lianqi.org.models import Staff

from ..choices import CampaignState
from ..models import Campaign
from ..permissions import MANAGERS


def remind_liaisons(
    *, campaign: Campaign, liaisons: Iterable[Staff], actor: Actor, at: dt.datetime
) -> list[Notification]:
    """Queue an in-app reminder to each of `liaisons` (those with an account) to visit their
    enterprises in `campaign`. Only the service office, the leader and the administrator of the
    campaign's jurisdiction remind, and only while the campaign is open; a liaison reminded today is not reminded twice (the outbox's
    dedupe key), so a double click sends one message."""
    if not has_role(actor, MANAGERS) or not path_visible(actor, campaign.jurisdiction_path):
        raise ValidationError(_("只有本辖区营商办或领导可以提醒联企干部"))
    if campaign.state != CampaignState.OPEN:
        # A reminder to visit in a campaign that is over (or not yet out) asks the impossible.
        raise ValidationError(_("只有进行中的走访活动可以提醒联企干部"))
    link = reverse("visits:visit_create") + f"?campaign={campaign.pk}"
    sent: list[Notification] = []
    with transaction.atomic():
        for staff in liaisons:
            if staff.user_id is None:
                continue
            sent.append(
                queue_notification(
                    channel=Channel.IN_APP,
                    recipient=staff.user,
                    subject=_("请抓紧走访：%(title)s") % {"title": campaign.title},
                    body=_(
                        "您负责的企业在走访活动“%(title)s”中的走访率低于当前进度要求，请于%(end)s前完成走访。"
                    )
                    % {"title": campaign.title, "end": f"{campaign.ends_on:%Y-%m-%d}"},
                    link=link,
                    dedupe_key=f"visits.remind:{campaign.pk}:{staff.pk}:{at:%Y-%m-%d}",
                    at=at,
                )
            )
    return sent
