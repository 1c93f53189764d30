"""Who may see a notification, and the loader pages use: each user sees only the in-app
messages delivered to them, and `access_notification` answers 404 both for a message that does
not exist and for somebody else's, so nobody learns that it exists."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lianqi.core.scoping import get_object_or_404_scoped

from .models import Channel, Notification, NotificationState


def visible(user: Any) -> QuerySet[Notification]:
    """The in-app messages delivered to `user`; nobody else's (none for an anonymous user)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP, state=NotificationState.SENT)


def access_notification(user: Any, pk: Any) -> Notification:
    """One message of the user's inbox."""
    return get_object_or_404_scoped(visible(user), pk=pk)
