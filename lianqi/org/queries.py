"""Reads of the organisation that pages, exports and dashboards share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lianqi.core import registry
from lianqi.core.registry import Period
from lianqi.core.search import normalise_search_text

from .choices import ALLOWED_CHILD_LEVELS
from .models import Department, Jurisdiction, Staff
from .permissions import departments_visible, jurisdictions_visible, staff_visible


@dataclass
class TreeNode:
    """One line of the jurisdiction tree with the totals of its whole subtree."""

    jurisdiction: Jurisdiction
    indent: int
    departments: int
    staff: int
    enterprises: int
    can_have_children: bool


def _subtree_totals(counts: Mapping[str, int]) -> Counter[str]:
    """Add each path's count to that path and every ancestor path, so a city shows the sum of
    its parks. Paths look like ``430000/430300/430371/``."""
    totals: Counter[str] = Counter()
    for path, count in counts.items():
        parts = path.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            totals["/".join(parts[:i]) + "/"] += count
    return totals


def _count_by_path(queryset: QuerySet[Any], field: str = "jurisdiction_path") -> dict[str, int]:
    rows = queryset.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n")
    return dict(rows)


def _registered_enterprises(paths: list[str]) -> dict[str, int]:
    """Enterprises on the register under each path today, when the register is installed."""
    try:
        measure = registry.measure("enterprises.registered")
    except KeyError:
        return {}
    today = timezone.localdate()
    counted = {path: measure.compute(path, Period(today, today)) for path in paths}
    return {path: int(value or 0) for path, value in counted.items()}


def jurisdiction_tree(user: Any) -> list[TreeNode]:
    """The user's subtree in path order, indented from the user's own level, with counts of
    departments, active staff and enterprises (each including everything below). The register
    lies above the organisation, so its count comes through its registered measure."""
    nodes = list(jurisdictions_visible(user).order_by("path"))
    if not nodes:
        return []
    departments = _subtree_totals(_count_by_path(departments_visible(user).filter(is_active=True)))
    staff = _subtree_totals(_count_by_path(staff_visible(user).filter(is_active=True)))
    enterprises = _registered_enterprises([node.path for node in nodes])
    top = min(n.depth for n in nodes)
    return [
        TreeNode(
            jurisdiction=node,
            indent=node.depth - top,
            departments=departments[node.path],
            staff=staff[node.path],
            enterprises=enterprises.get(node.path, 0),
            can_have_children=bool(ALLOWED_CHILD_LEVELS.get(node.level)),
        )
        for node in nodes
    ]


def department_list(user: Any, *, query: str = "") -> QuerySet[Department]:
    """Departments in scope with the number of active staff in each."""
    queryset = (
        departments_visible(user)
        .select_related("jurisdiction")
        .annotate(staff_count=Count("staff", filter=Q(staff__is_active=True)))
        .order_by("jurisdiction_path", "order", "name")
    )
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    return queryset


def staff_list(
    user: Any,
    *,
    query: str = "",
    department: Department | None = None,
    tier: str = "",
    active: bool | None = None,
) -> QuerySet[Staff]:
    """Staff in scope, searched by name or phone and filtered by department, tier and whether
    they are in post, each with the number of enterprises they serve."""
    queryset = staff_visible(user).select_related("department", "jurisdiction", "user")
    for term in normalise_search_text(query).split():
        queryset = queryset.filter(Q(name__icontains=term) | Q(phone__contains=term))
    if department is not None:
        queryset = queryset.filter(department=department)
    if tier:
        queryset = queryset.filter(tier=tier)
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset.annotate(enterprise_count=Count("enterprises")).order_by(
        "jurisdiction_path", "department__order", "name", "pk"
    )


def assignable_departments(user: Any, jurisdiction: Jurisdiction | None = None) -> QuerySet[Department]:
    """Active departments a staff member of `jurisdiction` may belong to: those of the
    jurisdiction itself or of one above it, within the user's scope."""
    queryset = departments_visible(user).filter(is_active=True).select_related("jurisdiction")
    if jurisdiction is not None:
        queryset = queryset.filter(jurisdiction_path__in=_prefixes(jurisdiction.path))
    return queryset.order_by("jurisdiction_path", "order", "name")


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def department_staff(department: Department) -> QuerySet[Staff]:
    return department.staff.filter(is_active=True).annotate(enterprise_count=Count("enterprises"))


def industry_condition(prefixes: Iterable[str], field: str = "industry") -> Q:
    """A filter for enterprises whose industry falls under any of a department's prefixes: a
    letter is a GB/T 4754 section, digits are the start of a division, group or class code."""
    condition = Q(pk__in=[])
    for prefix in prefixes:
        prefix = prefix.strip().upper()
        if not prefix:
            continue
        if prefix.isalpha():
            condition |= Q(**{f"{field}__section": prefix})
        else:
            condition |= Q(**{f"{field}__code__startswith": prefix})
    return condition


def own_staff(user: Any) -> Staff | None:
    """The staff row an account logs in as (with its department), or None when it has none."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Staff.objects.select_related("department").filter(user=user).first()
