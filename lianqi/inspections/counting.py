"""How the inspection statistics count: the aggregates behind each figure of a row (a
department, a month, the total), and the day cells they are kept in. One piece of code for the
page read as of another day (counted from the inspections) and for the stored day cells
(`cells.py`), so the two can never disagree."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from .choices import NOT_REGISTERED_STATES, Finding, FollowUp, InspectionState, VisitKind
from .models import Inspection

#: The additive counts of a statistics row, in the order of the day cells' columns.
COUNTS = (
    "inspections",
    "closed",
    "service",
    "joint",
    "checked_in",
    "before_entry",
    "cap_warnings",
    "rectifications_overdue",
    "rated",
    "rating_total",
)


def overdue_rectification(today: dt.date) -> Q:
    """Rectification orders whose deadline passed before `today` without being rectified by
    it: still open, rectified late, or escalated."""
    return Q(finding=Finding.RECTIFICATION, rectification_due_on__lt=today) & (
        Q(follow_up="") | Q(follow_up=FollowUp.ESCALATED) | Q(rectified_on__gt=F("rectification_due_on"))
    )


def aggregates(suffix: str = "", within: Q | None = None, *, today: dt.date | None = None) -> dict[str, Any]:
    """The aggregates behind the statistics' row figures, over the rows `within` (all
    without), named with `suffix`; overdue as of `today` (the local date without)."""
    every = within or Q()
    overdue = overdue_rectification(today or timezone.localdate())
    return {
        f"rectifications_overdue{suffix}": Count("pk", filter=every & overdue),
        f"inspections{suffix}": Count("pk", filter=within),
        f"closed{suffix}": Count("pk", filter=every & Q(state=InspectionState.CLOSED)),
        f"service{suffix}": Count("pk", filter=every & Q(visit_kind=VisitKind.SERVICE)),
        f"joint{suffix}": Count("pk", filter=every & Q(joint_visit__isnull=False)),
        f"checked_in{suffix}": Count("pk", filter=every & Q(checked_in_at__isnull=False)),
        f"before_entry{suffix}": Count(
            "pk", filter=every & Q(checked_in_at__isnull=False, checked_in_at__gt=F("created_at"))
        ),
        f"cap_warnings{suffix}": Count("pk", filter=every & ~Q(cap_warnings=[])),
        f"rated{suffix}": Count("rating", filter=within),
        f"rating_total{suffix}": Sum("rating__score", filter=within),
    }


def registered(rows: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """The inspections the statistics count: registered (coded), not refused or cancelled."""
    return rows.exclude(state__in=NOT_REGISTERED_STATES)


def day_cells(rows: QuerySet[Inspection], *, today: dt.date) -> list[dict[str, Any]]:
    """The counts of the registered inspections among `rows` per planned day and department,
    overdue as of `today`: one row per (planned_on, department_id) with `COUNTS`."""
    found = (
        registered(rows).order_by().values("planned_on", "department_id").annotate(**aggregates(today=today))
    )
    return [{**row, "rating_total": row["rating_total"] or 0} for row in cast(Any, found)]
