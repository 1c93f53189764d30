"""Who may administer accounts: the administrator, for the accounts of their own subtree. The
account pages load one account only through `access_user`, which answers 404 both for an
account that does not exist and for one outside the administrator's subtree."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset

from .models import User

ADMIN_ROLES = (Role.ADMIN,)


def visible(user: Any) -> QuerySet[User]:
    """The accounts an administrator may see and change: those whose jurisdiction lies in the
    administrator's subtree. Accounts without a jurisdiction are visible to superusers only."""
    if not has_role(user, ADMIN_ROLES):
        return User.objects.none()
    return scope_queryset(User.objects.all(), user, field="jurisdiction__path")


def access_user(user: Any, pk: Any) -> User:
    """An account the administrator may see and change, with its jurisdiction and enterprise."""
    return get_object_or_404_scoped(visible(user).select_related("jurisdiction", "enterprise"), pk=pk)
