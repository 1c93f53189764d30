"""Who may see and change the organisation: every staff role reads its own subtree, only the
administrator writes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lianqi.core.roles import STAFF_ROLES, Role, has_role
from lianqi.core.scoping import scope_queryset

from .models import Department, Jurisdiction, Staff

READ_ROLES = tuple(STAFF_ROLES)
WRITE_ROLES = (Role.ADMIN,)


def jurisdictions_visible(user: Any) -> QuerySet[Jurisdiction]:
    """The user's jurisdiction and everything below it."""
    if not has_role(user, READ_ROLES):
        return Jurisdiction.objects.none()
    return scope_queryset(Jurisdiction.objects.all(), user, field="path")


def departments_visible(user: Any) -> QuerySet[Department]:
    if not has_role(user, READ_ROLES):
        return Department.objects.none()
    return scope_queryset(Department.objects.all(), user)


def visible(user: Any) -> QuerySet[Staff]:
    """The staff a user may see: those of their jurisdiction's subtree."""
    if not has_role(user, READ_ROLES):
        return Staff.objects.none()
    return scope_queryset(Staff.objects.all(), user)


staff_visible = visible


def can_edit(user: Any) -> bool:
    return has_role(user, WRITE_ROLES)
