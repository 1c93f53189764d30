"""Who may see and change enterprises."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES, Role, has_role
from lianqi.core.scoping import scope_queryset

from .models import Contact, Enterprise

#: Roles that browse the register (the enterprise's own user sees only itself, elsewhere).
REGISTER_ROLES = tuple(STAFF_ROLES)
#: Roles that create, edit and import enterprises, and rotate their codes.
EDIT_ROLES = tuple(OFFICE_ROLES)
#: Roles that see contacts' full phone numbers; others see them masked.
PHONE_ROLES = (Role.LEADER, Role.SERVICE_OFFICE, Role.ADMIN)


def visible(user: Any) -> QuerySet[Enterprise]:
    """The enterprises a user may see: their jurisdiction's subtree for staff, their own
    enterprise for an enterprise user, nothing for anyone else."""
    queryset = Enterprise.objects.all()
    if has_role(user, REGISTER_ROLES):
        return scope_queryset(queryset, user)
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return queryset.filter(pk=user.enterprise_id)
    return queryset.none()


def can_edit(user: Any) -> bool:
    return has_role(user, EDIT_ROLES)


def can_see_contact_phone(user: Any, contact: Contact) -> bool:
    """Leaders and the office see every number; a liaison sees the numbers of the enterprises
    they serve; an enterprise user sees its own; everyone else sees them masked."""
    if has_role(user, PHONE_ROLES):
        return True
    staff = getattr(user, "staff", None)
    if staff is not None and contact.enterprise.liaison_id == staff.pk:
        return True
    return getattr(user, "enterprise_id", None) == contact.enterprise_id
