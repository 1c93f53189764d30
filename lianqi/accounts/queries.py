"""Reads about accounts: the administrator's user list and who is locked out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import User
from .permissions import visible


def user_list(admin: Any, *, query: str = "", role: str = "", active: bool | None = None) -> QuerySet[User]:
    """Accounts in the administrator's scope, searched by username, name or phone."""
    queryset = visible(admin).select_related("jurisdiction", "enterprise", "staff").prefetch_related("groups")
    for term in query.split():
        queryset = queryset.filter(
            Q(username__icontains=term) | Q(display_name__icontains=term) | Q(phone__contains=term)
        )
    if role:
        queryset = queryset.filter(groups__name=role)
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset.order_by("jurisdiction__path", "username").distinct()


def username_taken(username: str) -> bool:
    """Whether a login name is in use by any account, in any letter case: names are global,
    so this is deliberately not scoped."""
    return User.objects.filter(username__iexact=username).exists()


def locked_attempts(usernames: Any = None) -> QuerySet[AccessAttempt]:
    """The (username, address) pairs that have reached the failure limit and are locked out
    until the cool-off ends or an administrator unlocks them."""
    queryset = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cool_off, int | float):
        # Attempts older than the cool-off no longer lock anyone out, even before they are swept.
        queryset = queryset.filter(attempt_time__gte=timezone.now() - timedelta(hours=cool_off))
    if usernames is not None:
        queryset = queryset.filter(username__in=usernames)
    return queryset


def locked_usernames(admin: Any) -> set[str]:
    """Usernames in the administrator's scope that are locked out from at least one address."""
    names = visible(admin).values("username")
    return set(locked_attempts(names).values_list("username", flat=True))
