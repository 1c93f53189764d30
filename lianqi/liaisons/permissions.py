"""Who may see and change the liaison layout, and the loaders its pages and endpoints use: each
`access_*` answers 404 both for a row that does not exist and for one the user may not see, so
nobody learns that a row exists elsewhere."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lianqi.core.models import Job
from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES, Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Staff

from .models import LiaisonChange

#: Roles that see the coverage page and the load of each liaison.
VIEW_ROLES = (Role.LEADER, *OFFICE_ROLES)
#: Roles that assign, import and hand over liaisons.
ACT_ROLES = tuple(OFFICE_ROLES)
#: Roles that see an enterprise's liaison and its history (its section of the enterprise's file).
HISTORY_ROLES = tuple(STAFF_ROLES)


def visible(user: Any) -> QuerySet[LiaisonChange]:
    """The liaison changes a user may see: those of their jurisdiction's subtree, for staff."""
    if not has_role(user, HISTORY_ROLES):
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


def access_enterprise(user: Any, pk: Any) -> Enterprise:
    """An enterprise whose liaison the user looks at or changes, as the register scopes it."""
    return get_object_or_404_scoped(
        enterprises.visible(user).select_related("liaison", "liaison__department", "industry"), pk=pk
    )


def access_staff(user: Any, pk: Any) -> Staff:
    """A staff member of the user's subtree (a departing cadre to hand over from)."""
    return get_object_or_404_scoped(staff_visible(user).select_related("department", "jurisdiction"), pk=pk)


def access_import_job(user: Any, pk: Any) -> Job:
    """A liaison import of the user's subtree."""
    return get_object_or_404_scoped(import_jobs_visible(user).select_related("owner"), pk=pk)


def access_liaison_change(user: Any, pk: Any) -> LiaisonChange:
    """One change of liaison the user may see."""
    return get_object_or_404_scoped(
        visible(user).select_related("enterprise", "from_staff", "to_staff", "actor"), pk=pk
    )
