"""Who sees which policies, matches and ledger entries, and the loaders every page and
endpoint fetches one of them through: `access_*` answers 404 both for a row that does not
exist and for one the user may not see, so nobody learns that a row exists elsewhere."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lianqi.core.roles import STAFF_ROLES, Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_paths, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise

from .models import Fulfilment, FulfilmentMaterial, Policy, PolicyMatch, PolicyVersion

#: Who reads the stored matches of the enterprises in their jurisdiction.
MATCH_READERS = tuple(STAFF_ROLES)
#: Staff who follow ledger entries (a liaison sees an enterprise's matches, not its money).
LEDGER_STAFF = (Role.LEADER, Role.SERVICE_OFFICE, Role.DEPARTMENT_HANDLER, Role.ADMIN)


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


def policies_for_enterprise(enterprise: Enterprise) -> QuerySet[Policy]:
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


def matches_visible(user: Any) -> QuerySet[PolicyMatch]:
    """Stored matches: staff those of the enterprises in their jurisdiction, an enterprise
    user its own."""
    queryset = PolicyMatch.objects.all()
    if has_role(user, MATCH_READERS):
        return scope_queryset(queryset, user)
    enterprise_id = getattr(user, "enterprise_id", None)
    if has_role(user, (Role.ENTERPRISE,)) and enterprise_id is not None:
        return queryset.filter(enterprise_id=int(enterprise_id))
    return queryset.none()


def own_enterprise(user: Any) -> Enterprise | None:
    """The enterprise an enterprise user acts for (None for everyone else)."""
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return Enterprise.objects.select_related("jurisdiction").get(pk=user.enterprise_id)
    return None


# --- Loaders: 404 for missing and forbidden alike -----------------------------------------


def access_policy(user: Any, pk: Any, *, to_change: bool = False) -> Policy:
    """A policy the user may see; with `to_change`, only one issued inside the user's
    jurisdiction (a city's policy is read in its parks, not rewritten there)."""
    queryset = policies_visible(user).select_related("department")
    if to_change:
        queryset = scope_queryset(queryset, user)
    return get_object_or_404_scoped(queryset, pk=pk)


def access_version(user: Any, policy_pk: Any, number: Any, *, to_change: bool = False) -> PolicyVersion:
    """A version, by its number, of a policy the user may see (or change)."""
    policy = access_policy(user, policy_pk, to_change=to_change)
    return get_object_or_404_scoped(policy.versions.select_related("policy"), number=number)


def access_fulfilment(user: Any, pk: Any) -> Fulfilment:
    """A ledger entry the user may see, with its policy, department and enterprise."""
    return get_object_or_404_scoped(
        fulfilments_visible(user).select_related("policy", "policy__department", "enterprise"), pk=pk
    )


def access_material(user: Any, fulfilment_pk: Any, pk: Any) -> FulfilmentMaterial:
    """An application's document, for whoever may see its ledger entry."""
    entry = access_fulfilment(user, fulfilment_pk)
    return get_object_or_404_scoped(FulfilmentMaterial.objects.filter(fulfilment=entry), pk=pk)


def access_match(user: Any, pk: Any) -> PolicyMatch:
    """A stored match the user may see, with its policy, enterprise and version."""
    return get_object_or_404_scoped(
        matches_visible(user).select_related("policy", "enterprise", "version"), pk=pk
    )


def access_policy_for_enterprise(enterprise: Enterprise, pk: Any) -> Policy:
    """A policy over the enterprise's jurisdiction, for the pages under its code."""
    return get_object_or_404_scoped(policies_for_enterprise(enterprise), pk=pk)


def access_enterprise(user: Any, pk: Any) -> Enterprise:
    """An enterprise whose file the user opens, as the register scopes it."""
    return get_object_or_404_scoped(enterprises.visible(user), pk=pk)
