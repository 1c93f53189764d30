"""Reads that matter for demands: deadlines, legacy problems and how demands ended. Every
function that depends on "now" takes it as `at`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import rjieba
from django.db.models import Count, QuerySet

from lianqi.core import calendar_store, workdays

from . import permissions
from .choices import CLOCK_STATES, OPEN_STATES, DemandState, Outcome
from .models import Demand


def visible(user: Any) -> QuerySet[Demand]:
    return permissions.visible(user)


def overdue(*, at: dt.datetime, queryset: QuerySet[Demand] | None = None) -> QuerySet[Demand]:
    """Demands a department still owes a reply on whose deadline (the end of `due_on`, Shanghai
    time) has passed at `at`."""
    qs = Demand.objects.all() if queryset is None else queryset
    return qs.filter(state__in=CLOCK_STATES, due_on__lt=workdays.shanghai_date(at))


def due_soon(*, at: dt.datetime, queryset: QuerySet[Demand] | None = None) -> QuerySet[Demand]:
    """Open demands due today or on the next working day: from one working day before the
    deadline until it passes."""
    qs = Demand.objects.all() if queryset is None else queryset
    today = workdays.shanghai_date(at)
    horizon = workdays.next_workday(today, calendar_store.get_calendar()).day
    return qs.filter(state__in=CLOCK_STATES, due_on__gte=today, due_on__lte=horizon)


def legacy_problems(queryset: QuerySet[Demand] | None = None) -> QuerySet[Demand]:
    """Legacy problems (遗留问题, sent to expert consultation), open ones first: the target is
    to clear them all (遗留问题清零)."""
    qs = Demand.objects.all() if queryset is None else queryset
    return qs.filter(is_legacy=True).order_by("closed_at", "received_at")


def resolution_counts(queryset: QuerySet[Demand] | None = None) -> dict[str, int]:
    """How many demands are open, closed, and closed with each outcome. `solved` counts only
    closed demands whose outcome is solved: a closed duplicate or withdrawal is not a solution."""
    qs = Demand.objects.all() if queryset is None else queryset
    counts: dict[str, int] = {"total": 0, "open": 0, "closed": 0, **{o.value: 0 for o in Outcome}}
    for row in qs.order_by().values("state", "outcome").annotate(n=Count("pk")):
        counts["total"] += row["n"]
        if row["state"] == DemandState.CLOSED:
            counts["closed"] += row["n"]
            counts[row["outcome"]] += row["n"]
        else:
            counts["open"] += row["n"]
    return counts


def awaiting_return_visit(
    *, at: dt.datetime, rating_window_workdays: int, queryset: QuerySet[Demand] | None = None
) -> list[Demand]:
    """Replied demands the enterprise has not rated within `rating_window_workdays` working
    days: the office's return visit (回访) records the three answers for them."""
    qs = Demand.objects.all() if queryset is None else queryset
    cal = calendar_store.get_calendar()
    result = []
    for demand in qs.filter(state=DemandState.REPLIED, replied_at__isnull=False):
        assert demand.replied_at is not None
        if workdays.workdays_between_at(demand.replied_at, at, cal).days >= rating_window_workdays:
            result.append(demand)
    return result


#: Below this share of shared words two descriptions are not called alike.
DUPLICATE_SIMILARITY = 0.25


def _words(text: str) -> set[str]:
    return {w for w in rjieba.cut(text.lower()) if w.strip() and w not in _FILLER}


# Punctuation and particles that every description shares.
_FILLER = frozenset("，。、；：！？,.;:!?（）()“”\"' 的了和与及在是有我我们公司企业需要希望")


def similarity(a: str, b: str) -> float:
    """Share of words two descriptions have in common (Jaccard on rjieba words)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def likely_duplicates(
    *, enterprise_id: int, category_id: int, description: str, exclude_pk: int | None = None, limit: int = 5
) -> list[tuple[Demand, float]]:
    """Open demands of the same enterprise and category whose text is alike, most alike
    first: shown before a new demand is submitted, and offered when the office merges."""
    candidates = Demand.objects.filter(
        enterprise_id=enterprise_id, category_id=category_id, state__in=OPEN_STATES
    ).select_related("category", "lead_department")
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    scored = [(d, similarity(description, d.description)) for d in candidates[:200]]
    scored = [(d, s) for d, s in scored if s >= DUPLICATE_SIMILARITY]
    scored.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return scored[:limit]
