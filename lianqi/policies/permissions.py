"""Who sees which policies and ledger entries."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lianqi.core.roles import STAFF_ROLES, Role, has_role
from lianqi.core.scoping import scope_paths, scope_queryset

from .models import Fulfilment, Policy


def ancestor_paths(path: str) -> list[str]:
    """`430000/430300/430371/` → its own path and every ancestor's."""
    return [path[: i + 1] for i, char in enumerate(path) if char == "/"]


def policies_visible(user: Any) -> QuerySet[Policy]:
    """Policies that apply where the user works: those issued for the user's jurisdiction or
    above it (a city's policy applies in its parks), and, for staff, those issued inside it.
    An enterprise user sees the active policies over its enterprise's jurisdiction."""
    queryset = Policy.objects.all()
    if getattr(user, "is_superuser", False):
        return queryset
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return queryset.filter(
            is_active=True, jurisdiction_path__in=ancestor_paths(user.enterprise.jurisdiction_path)
        )
    if not has_role(user, STAFF_ROLES):
        return queryset.none()
    paths = scope_paths(user) or []
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(jurisdiction_path__startswith=path) | Q(jurisdiction_path__in=ancestor_paths(path))
    return queryset.filter(condition)


def policies_for_enterprise(enterprise: Any) -> QuerySet[Policy]:
    """The active policies over an enterprise's jurisdiction (what its code page may show)."""
    return Policy.objects.filter(
        is_active=True, jurisdiction_path__in=ancestor_paths(enterprise.jurisdiction_path)
    )


def fulfilments_visible(user: Any) -> QuerySet[Fulfilment]:
    """Ledger entries: the office, leaders and admins of the jurisdiction; a department
    handler those of its department's policies; an enterprise user its own."""
    queryset = Fulfilment.objects.all()
    if has_role(user, (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)):
        return scope_queryset(queryset, user)
    staff = getattr(user, "staff", None)
    if staff is not None and staff.department_id and has_role(user, (Role.DEPARTMENT_HANDLER,)):
        return scope_queryset(queryset.filter(policy__department_id=staff.department_id), user)
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return queryset.filter(enterprise_id=user.enterprise_id)
    return queryset.none()
