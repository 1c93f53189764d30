"""Repeated-inspection warnings to the service office (重复检查预警): when an inspection is
registered beyond a frequency cap (`checks.cap_warnings`, kept on the row as `cap_warnings`),
the service office of the enterprise's jurisdiction and of every jurisdiction above it gets an
in-app message naming the enterprise and the caps hit, so it can merge the visits or stop them.

`register_inspection` calls `warn_repeated_inspection(row, at=at)` inside its transaction,
right after the row is saved: the message is written with the inspection, and is never sent
if the registration rolls back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.core.scoping import path_visible
from lianqi.notifications.actions import queue_notification
from lianqi.notifications.models import Channel

from .models import Inspection


def office_users(jurisdiction_path: str) -> list[Any]:
    """The active service-office users whose scope holds `jurisdiction_path`: those of that
    jurisdiction and of every one above it."""
    codes = jurisdiction_path.strip("/").split("/")
    ancestors = ["".join(f"{code}/" for code in codes[: i + 1]) for i in range(len(codes))]
    candidates = (
        User.objects.filter(
            is_active=True, groups__name=Role.SERVICE_OFFICE.value, jurisdiction__path__in=ancestors
        )
        .select_related("jurisdiction")
        .distinct()
        .order_by("pk")
    )
    return [user for user in candidates if path_visible(user, jurisdiction_path)]


def warn_repeated_inspection(inspection: Inspection, *, at: dt.datetime | None = None) -> int:
    """Tell the service office that `inspection` goes beyond a frequency cap, once per office
    user and inspection (however often it is called); nothing when no cap was hit. Returns how
    many users were told. Call it inside the registering transaction."""
    if not inspection.cap_warnings:
        return 0
    at = at or timezone.now()
    words = {
        "enterprise": inspection.enterprise.name,
        "department": inspection.department.name,
        "day": inspection.planned_on.isoformat(),
    }
    subject = _("重复检查预警：%(enterprise)s") % words
    body = _("%(department)s登记了 %(day)s 对%(enterprise)s的检查：") % words + "；".join(
        str(w) for w in inspection.cap_warnings
    )
    told = 0
    for user in office_users(inspection.jurisdiction_path):
        queue_notification(
            channel=Channel.IN_APP,
            recipient=user,
            subject=subject,
            body=body,
            link=inspection.get_absolute_url(),
            dedupe_key=f"inspections.repeated:{inspection.pk}:{user.pk}",
            at=at,
        )
        told += 1
    return told
