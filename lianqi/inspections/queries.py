"""Every read of this wing that matters: the list with its filters, an enterprise's items,
the history of one item, the pools of inspectors, the quiet periods and the joint visits,
and the figures of the home page and of the measures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from lianqi.core.registry import Period
from lianqi.enterprises.models import Enterprise

from .choices import OPEN_STATES, InspectionState, LenientKind
from .filters import InspectionFilter
from .models import (
    Inspection,
    InspectionEvent,
    InspectionItem,
    Inspector,
    JointVisit,
    LenientItem,
    QuietPeriod,
    Rating,
)
from .permissions import (
    visible,
    visible_inspectors,
    visible_items,
    visible_joint_visits,
    visible_quiet_periods,
)


def inspection_list(user: Any, params: Mapping[str, Any] | None = None) -> InspectionFilter:
    """The items a user may see through the list's filters (a bad value filters nothing): the
    filter's `form` for the page and its `qs` for the rows, newest first."""
    return InspectionFilter(params or None, queryset=visible(user).select_related("enterprise"))


def for_enterprise(user: Any, enterprise: Enterprise) -> QuerySet[Inspection]:
    """The items of one enterprise that the user may see (its section of the enterprise's file)."""
    return visible(user).filter(enterprise=enterprise)


def open_for_enterprise(enterprise: Enterprise) -> QuerySet[Inspection]:
    """An enterprise's items still under way, as its own code page shows them."""
    return Inspection.objects.filter(enterprise=enterprise, state__in=OPEN_STATES)


#: How far back the enterprise's code page lists inspections made.
CODE_PAGE_DAYS = 90


def for_code_page(enterprise: Enterprise) -> QuerySet[Inspection]:
    """The enterprise's inspections its code page shows: those ahead, and those of the last
    `CODE_PAGE_DAYS` days, not cancelled, latest first."""
    since = timezone.localdate() - dt.timedelta(days=CODE_PAGE_DAYS)
    return (
        Inspection.objects.filter(enterprise=enterprise, planned_on__gte=since)
        .exclude(state=InspectionState.CANCELLED)
        .select_related("department", "rating")
        .prefetch_related("inspectors__staff")
        .order_by("-planned_on", "-pk")
    )


def rateable(row: Inspection) -> bool:
    """Whether the enterprise may still rate this visit: made, and not rated yet."""
    return row.state in (InspectionState.CHECKED_IN, InspectionState.CLOSED) and not hasattr(row, "rating")


def lenient_lists(jurisdiction_path: str) -> dict[str, list[LenientItem]]:
    """A jurisdiction's three lenient-enforcement lists, by list, in number order."""
    lists: dict[str, list[LenientItem]] = {kind: [] for kind in LenientKind.values}
    for item in LenientItem.objects.filter(jurisdiction_path=jurisdiction_path).order_by("kind", "number"):
        lists[item.kind].append(item)
    return lists


def lenient_rows(jurisdiction_path: str) -> list[list[object]]:
    """The lists as rows of the Excel file (`lenient.COLUMNS`)."""
    return [
        [
            item.get_kind_display(),
            item.number,
            item.violation,
            item.legal_basis,
            item.conditions,
            item.measure,
        ]
        for items in lenient_lists(jurisdiction_path).values()
        for item in items
    ]


def history(row: Inspection) -> QuerySet[InspectionEvent]:
    """An item's events in order, with who acted."""
    return row.events.select_related("actor").order_by("at", "pk")


def open_count(user: Any) -> int:
    """How many items the user may see are still under way (the home page's card)."""
    return visible(user).filter(state__in=OPEN_STATES).count()


def _registered(jurisdiction_path: str, period: Period) -> QuerySet[Inspection]:
    """Inspections planned in `period` in a jurisdiction and those below it, not cancelled."""
    return Inspection.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path,
        planned_on__gte=period.start,
        planned_on__lte=period.end,
    ).exclude(state=InspectionState.CANCELLED)


def registered_count(jurisdiction_path: str, period: Period) -> int:
    """Inspections registered for `period` (a measure)."""
    return _registered(jurisdiction_path, period).count()


def joint_share(jurisdiction_path: str, period: Period) -> Decimal | None:
    """The percentage of the period's inspections made within a joint visit (a measure)."""
    rows = _registered(jurisdiction_path, period)
    total = rows.count()
    if not total:
        return None
    return (Decimal(100) * rows.filter(joint_visit__isnull=False).count() / total).quantize(Decimal("0.1"))


def cap_warning_count(jurisdiction_path: str, period: Period) -> int:
    """The period's inspections registered beyond a frequency cap (a measure)."""
    return _registered(jurisdiction_path, period).exclude(cap_warnings=[]).count()


#: Below this many ratings no figure is shown, so that no single firm's rating can be told.
MIN_RATINGS = 5


def average_rating(jurisdiction_path: str, period: Period) -> Decimal | None:
    """The enterprises' average rating of the period's visits, from five ratings on (a measure)."""
    ratings = Rating.objects.filter(inspection__in=_registered(jurisdiction_path, period))
    figures = ratings.aggregate(count=Count("pk"), average=Avg("score"))
    if figures["count"] < MIN_RATINGS:
        return None
    return Decimal(str(figures["average"])).quantize(Decimal("0.01"))


def inspector_pool(user: Any, department_id: int | None = None) -> QuerySet[Inspector]:
    """The inspectors of the pools the user manages (of one department with `department_id`),
    those in the pool first, by department and name."""
    rows = visible_inspectors(user).select_related("staff", "department")
    if department_id:
        rows = rows.filter(department_id=department_id)
    return rows.order_by("-is_active", "department__order", "department__name", "staff__name", "pk")


def quiet_periods(user: Any, *, current_only: bool = True) -> QuerySet[QuietPeriod]:
    """The quiet periods the user manages, those running today or later only unless
    `current_only` is false, the soonest to end first."""
    rows = visible_quiet_periods(user).select_related("enterprise")
    if current_only:
        rows = rows.filter(ends_on__gte=timezone.localdate())
    return rows.order_by("ends_on", "pk")


def joint_visits(user: Any) -> QuerySet[JointVisit]:
    """The joint visits the user manages, newest first, each with its inspections counted."""
    return (
        visible_joint_visits(user)
        .select_related("enterprise", "lead_department")
        .annotate(inspection_count=Count("inspections"))
        .order_by("-planned_on", "-pk")
    )


def inspections_of_joint_visits(ids: list[int]) -> dict[int, list[Inspection]]:
    """The inspections merged into each of the joint visits `ids`, by department."""
    grouped: dict[int, list[Inspection]] = {}
    rows = Inspection.objects.filter(joint_visit_id__in=ids).select_related("department")
    for row in rows.order_by("department__order", "pk"):
        grouped.setdefault(row.joint_visit_id or 0, []).append(row)
    return grouped


def managed_items(user: Any, department_id: object = None) -> QuerySet[InspectionItem]:
    """The inspection items the user manages, by department and name (one department's with
    `department_id`; a value that is not a number filters nothing)."""
    rows = (
        visible_items(user)
        .select_related("department")
        .order_by("department__order", "department_id", "name")
    )
    if str(department_id or "").isdigit():
        rows = rows.filter(department_id=int(str(department_id)))
    return rows


def published_items(jurisdiction_path: str) -> QuerySet[InspectionItem]:
    """Every department's published items within a jurisdiction, as the public page lists
    them: by department, then name."""
    return (
        InspectionItem.objects.filter(jurisdiction_path__startswith=jurisdiction_path, is_published=True)
        .select_related("department")
        .order_by("department__order", "department_id", "name")
    )


def item_rows(items: QuerySet[InspectionItem]) -> list[list[object]]:
    """Items as rows of the Excel file (`items.COLUMNS`): what the import reads back."""
    return [
        [
            item.department.name,
            item.name,
            item.law,
            item.article,
            item.get_kind_display(),
            json.dumps(item.rule["rules"][0]["eligibility"], ensure_ascii=False) if item.rule else "",
            item.rule_note,
            item.yearly_cap,
            "是" if item.is_published else "否",
        ]
        for item in items
    ]
