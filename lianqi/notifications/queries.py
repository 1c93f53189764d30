"""Every read of the notification outbox that matters."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from lianqi.accounts.models import User

from .models import Channel, Notification, NotificationState


def inbox_for(user: User) -> QuerySet[Notification]:
    """The in-app messages delivered to `user`, newest first; nobody else's."""
    return Notification.objects.filter(
        recipient=user, channel=Channel.IN_APP, state=NotificationState.SENT
    ).order_by("-sent_at", "-pk")


def unread_for(user: User) -> QuerySet[Notification]:
    """The in-app messages of `user` not read yet, newest first."""
    return inbox_for(user).filter(read_at__isnull=True)


def outbox_stats(*, at: dt.datetime) -> dict[str, int]:
    """How many notifications are in each state, plus `due`: undelivered ones whose attempt
    time has come by `at` (a growing number means the sweep or the worker is not running)."""
    stats = {state.value: 0 for state in NotificationState}
    for row in Notification.objects.values("state").annotate(n=Count("pk")).order_by():
        stats[row["state"]] = row["n"]
    stats["due"] = Notification.objects.filter(
        state__in=(NotificationState.PENDING, NotificationState.FAILED), next_attempt_at__lte=at
    ).count()
    return stats
