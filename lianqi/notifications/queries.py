"""Every read of the notification outbox that matters."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from lianqi.core.actors import Actor

from .models import Notification, NotificationState
from .permissions import visible


def inbox_for(user: Actor) -> QuerySet[Notification]:
    """The in-app messages delivered to `user`, newest first; nobody else's."""
    return visible(user).order_by("-sent_at", "-pk")


def unread_for(user: Actor) -> QuerySet[Notification]:
    """The in-app messages of `user` not read yet, newest first."""
    return inbox_for(user).filter(read_at__isnull=True)


def inbox_page_for(user: Actor) -> QuerySet[Notification]:
    """The inbox as the page lists it: unread messages first, then the read ones, each group
    newest first."""
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return inbox_for(user).order_by(unread_first, "-sent_at", "-pk")


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
