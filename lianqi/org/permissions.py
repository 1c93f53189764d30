"""Who may see and change the organisation: every staff role reads its own subtree, only the
administrator writes. Pages and endpoints load one jurisdiction, department or staff member
only through the `access_*` loaders, which answer 404 both for a row that does not exist and
for one outside the user's subtree, so nobody learns that a row exists elsewhere."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lianqi.core.privacy import Holder, PhonePolicy, Tie
from lianqi.core.roles import STAFF_ROLES, Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset

from .models import Department, Jurisdiction, Staff

READ_ROLES = tuple(STAFF_ROLES)
WRITE_ROLES = (Role.ADMIN,)


def jurisdictions_visible(user: Any) -> QuerySet[Jurisdiction]:
    """The user's jurisdiction and everything below it."""
    if not has_role(user, READ_ROLES):
        return Jurisdiction.objects.none()
    return scope_queryset(Jurisdiction.objects.all(), user, field="path")


def departments_visible(user: Any) -> QuerySet[Department]:
    """The departments of the user's subtree."""
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


# --- Phones: the one rule of `core.privacy`, with the ties only the organisation knows --------


def staff_ties(user: Any, staff: Staff) -> tuple[Tie, ...]:
    """How `user` is tied to a cadre, for `core.privacy.sees_full_phone`: it is their own record
    (`SELF`), or they are the liaison of the user's enterprise (`OUR_LIAISON`)."""
    ties: list[Tie] = []
    if staff.user_id is not None and staff.user_id == getattr(user, "pk", None):
        ties.append(Tie.SELF)
    if getattr(user, "enterprise_id", None) and getattr(user.enterprise, "liaison_id", None) == staff.pk:
        ties.append(Tie.OUR_LIAISON)
    return tuple(ties)


def staff_phones(user: Any) -> PhonePolicy:
    """The rule for cadres' phones, for one user (ask it once per list or export)."""
    return PhonePolicy(user, Holder.STAFF)


def staff_phone(user: Any, staff: Staff, policy: PhonePolicy | None = None) -> str:
    """A cadre's phone as `user` may see it: in full or masked (empty when there is none)."""
    policy = policy or staff_phones(user)
    return policy.show(staff.phone, staff_ties(user, staff), path=staff.jurisdiction_path)


# --- Loaders: 404 for missing and forbidden alike -----------------------------------------


def access_jurisdiction(user: Any, pk: Any) -> Jurisdiction:
    """A jurisdiction of the user's subtree, by its primary key."""
    return get_object_or_404_scoped(jurisdictions_visible(user).select_related("parent"), pk=pk)


def access_jurisdiction_by_code(user: Any, code: Any) -> Jurisdiction:
    """A jurisdiction of the user's subtree, by its division code (the API's lookup)."""
    return get_object_or_404_scoped(jurisdictions_visible(user).select_related("parent"), code=code)


def access_department(user: Any, pk: Any) -> Department:
    """A department of the user's subtree, with its jurisdiction."""
    return get_object_or_404_scoped(departments_visible(user).select_related("jurisdiction"), pk=pk)


def access_staff(user: Any, pk: Any) -> Staff:
    """A staff member of the user's subtree, with their department, jurisdiction and login."""
    return get_object_or_404_scoped(visible(user).select_related("department", "jurisdiction", "user"), pk=pk)
