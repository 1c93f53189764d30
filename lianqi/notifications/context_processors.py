"""The unread count behind the bell in the page header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import queries


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """`unread_notification_count`, counted only if a template shows it (Django calls a
    callable context value when it is used), so pages without a header pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    return {"unread_notification_count": queries.unread_for(user).count}  # type: ignore[arg-type]
