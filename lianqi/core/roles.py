"""The roles of Lianqi. A role is a Django group with the role's code as its name; a user may
hold several. Pages and endpoints name the roles they admit; scoping to a jurisdiction is a
separate, second check (see `lianqi.core.scoping`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADER = "leader", _("领导")
    SERVICE_OFFICE = "service_office", _("营商办")
    DEPARTMENT_HANDLER = "department_handler", _("部门经办人")
    LIAISON = "liaison", _("联企干部")
    ENTERPRISE = "enterprise", _("企业用户")
    FINANCE = "finance", _("金融机构用户")
    ADMIN = "admin", _("管理员")


#: Roles held by the park's own staff (as opposed to enterprises and banks).
STAFF_ROLES = (Role.LEADER, Role.SERVICE_OFFICE, Role.DEPARTMENT_HANDLER, Role.LIAISON, Role.ADMIN)
#: Roles that manage the enterprise register and the liaison layout.
OFFICE_ROLES = (Role.SERVICE_OFFICE, Role.ADMIN)


def role_codes(user: object) -> frozenset[str]:
    """The role codes a user holds, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_lianqi_roles", None)
    if cached is None:
        codes = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        if getattr(user, "is_superuser", False):
            codes.add(Role.ADMIN.value)
        cached = frozenset(codes)
        user._lianqi_roles = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: object, roles: Iterable[str]) -> bool:
    return bool(role_codes(user) & {str(r) for r in roles})
