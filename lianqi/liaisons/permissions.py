"""Who may see and change the liaison layout."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lianqi.core.models import Job
from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES, Role, has_role
from lianqi.core.scoping import scope_queryset
from lianqi.org.models import Staff

from .models import LiaisonChange

#: Roles that see the coverage page and the load of each liaison.
VIEW_ROLES = (Role.LEADER, *OFFICE_ROLES)
#: Roles that assign, import and hand over liaisons.
ACT_ROLES = tuple(OFFICE_ROLES)


def visible(user: Any) -> QuerySet[LiaisonChange]:
    """The liaison changes a user may see: those of their jurisdiction's subtree, for staff."""
    if not has_role(user, STAFF_ROLES):
        return LiaisonChange.objects.none()
    return scope_queryset(LiaisonChange.objects.all(), user)


def staff_visible(user: Any) -> QuerySet[Staff]:
    """The staff members a user may pick as liaisons or hand over from: their subtree's."""
    if not has_role(user, STAFF_ROLES):
        return Staff.objects.none()
    return scope_queryset(Staff.objects.all(), user)


def import_jobs_visible(user: Any) -> QuerySet[Job]:
    """Liaison import jobs of the user's jurisdiction subtree."""
    if not has_role(user, ACT_ROLES):
        return Job.objects.none()
    return scope_queryset(Job.objects.filter(kind=Job.Kind.LIAISON_IMPORT), user, field="jurisdiction__path")


def can_act(user: Any) -> bool:
    return has_role(user, ACT_ROLES)
