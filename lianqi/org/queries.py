"""Reads of the organisation that pages, exports and dashboards share."""

from __future__ import annotations

import datetime as dt
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
from .permissions import departments_visible, jurisdictions_visible, staff_phones, staff_visible


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


def end_of_day(day: dt.date) -> dt.datetime:
    """The first moment after `day`, in the project's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def staff_in_post(staff: QuerySet[Staff], *, on: dt.date | None = None) -> QuerySet[Staff]:
    """The staff among `staff` in post (在岗): not marked as having left. With `on`, as the
    register stands for the end of that day: registered by then, and still in post or recorded
    as leaving after it. The leader's card, the tree and the measure `org.active_staff` all
    count these."""
    if on is None:
        return staff.filter(is_active=True)
    return staff.filter(created_at__lt=end_of_day(on)).filter(Q(is_active=True) | Q(left_on__gt=on))


def departments_in_use(
    departments: QuerySet[Department], *, on: dt.date | None = None
) -> QuerySet[Department]:
    """The departments among `departments` in use (启用); with `on`, only those set up by the
    end of that day. The leader's card, the tree and the measure `org.departments` count these."""
    departments = departments.filter(is_active=True)
    if on is not None:
        departments = departments.filter(created_at__lt=end_of_day(on))
    return departments


def staff_under(jurisdiction_path: str) -> QuerySet[Staff]:
    """Every staff row of a jurisdiction and those below it, unscoped: for measures, which are
    asked about a jurisdiction rather than by a user."""
    return Staff.objects.filter(jurisdiction_path__startswith=jurisdiction_path)


def departments_under(jurisdiction_path: str) -> QuerySet[Department]:
    """Every department of a jurisdiction and those below it, unscoped (for measures)."""
    return Department.objects.filter(jurisdiction_path__startswith=jurisdiction_path)


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
    departments = _subtree_totals(_count_by_path(departments_in_use(departments_visible(user))))
    staff = _subtree_totals(_count_by_path(staff_in_post(staff_visible(user))))
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


def jurisdiction_list(user: Any) -> QuerySet[Jurisdiction]:
    """The user's subtree in path order, each with its parent (the API's list)."""
    return jurisdictions_visible(user).select_related("parent").order_by("path")


def jurisdiction_code_taken(code: str) -> bool:
    """Whether a division code is already in the tree, anywhere in the country: codes are
    unique nationwide, so this is deliberately not scoped."""
    return Jurisdiction.objects.filter(code=code).exists()


def department_list(user: Any, *, query: str = "") -> QuerySet[Department]:
    """Departments in scope with the number of active staff in each."""
    queryset = (
        departments_visible(user)
        .select_related("jurisdiction")
        .annotate(staff_count=Count("staff", filter=Q(staff__is_active=True)))
        .order_by("jurisdiction_path", "order", "name", "pk")
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
    they are in post, each with the number of enterprises they serve. Only a user who sees
    every cadre's number in full searches by phone: for the others a search by digits would
    tell the masked numbers one guess at a time."""
    queryset = staff_visible(user).select_related("department", "jurisdiction", "user")
    by_phone = staff_phones(user).whole
    for term in normalise_search_text(query).split():
        matches = Q(name__icontains=term)
        if by_phone:
            matches |= Q(phone__contains=term)
        queryset = queryset.filter(matches)
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
    """A department's staff in post, each with the number of enterprises they serve."""
    return staff_in_post(department.staff.all()).annotate(enterprise_count=Count("enterprises"))


def staff_enterprise_count(staff: Staff) -> int:
    """How many enterprises a staff member serves as their liaison."""
    return staff.enterprises.count()


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


def staff_picker_label(staff: Staff) -> str:
    """How a cadre reads in a picker: name, jurisdiction and department (no phone), enough to
    tell namesakes apart."""
    department = f" · {staff.department.name}" if staff.department_id and staff.department else ""
    return f"{staff.name}（{staff.jurisdiction.name}{department}）"
