"""Reads that matter for demands: deadlines, legacy problems and how demands ended. Every
function that depends on "now" takes it as `at`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import rjieba
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core import calendar_store, workdays

from . import permissions
from .choices import CLOCK_STATES, OPEN_STATES, DemandState, Outcome
from .filters import DemandFilter
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
    return qs.filter(is_legacy=True).order_by(F("closed_at").asc(nulls_first=True), "received_at")


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


# --- Lists: the register, the department inbox, the office board, legacy problems -----------

#: Working days the enterprise has to rate a reply before the office visits it instead (回访).
RATING_WINDOW_WORKDAYS = 5

#: States in which the lead department itself holds the demand (a sent-back demand is with
#: the office, so it shows on the board, not in the department's overdue tab).
DEPARTMENT_STATES = (DemandState.ASSIGNED, DemandState.SIGNED, DemandState.HANDLING)

#: What a list row shows, fetched with the row rather than one query per row.
LIST_RELATED = ("enterprise", "category", "lead_department", "liaison")
#: What a list row shows (`views_lists.rows_html`): a page reads only these columns of its
#: fifty demands and their related rows.
ROW_FIELDS = (
    "state",
    "is_legacy",
    "supervised_at",
    "extension_workdays",
    "replied_at",
    "due_on",
    "description",
    "version",
    "received_at",
    "enterprise__name",
    "category__name",
    "lead_department__name",
)


def list_rows(ids: Sequence[int]) -> list[Demand]:
    """The demands `ids`, in that order, with what a list row shows."""
    found = (
        Demand.objects.select_related("enterprise", "category", "lead_department")
        .only(*ROW_FIELDS)
        .in_bulk(ids)
    )
    return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class Tab:
    """One tab of a work list: which rows it holds (`condition`, a `Q` so every tab's count is
    one column of a single aggregate query) and its label."""

    key: str
    label: Any
    condition: Q


def _today(at: dt.datetime) -> dt.date:
    return workdays.shanghai_date(at)


def overdue_condition(*, at: dt.datetime, states: Sequence[str] = CLOCK_STATES) -> Q:
    """`overdue` as a condition: due before today (Shanghai) and still owed a reply."""
    return Q(state__in=states, due_on__lt=_today(at))


def due_soon_condition(*, at: dt.datetime, states: Sequence[str] = CLOCK_STATES) -> Q:
    """`due_soon` as a condition: due today or on the next working day."""
    today = _today(at)
    horizon = workdays.next_workday(today, calendar_store.get_calendar()).day
    return Q(state__in=states, due_on__gte=today, due_on__lte=horizon)


def return_visit_cutoff(
    *, at: dt.datetime, rating_window_workdays: int = RATING_WINDOW_WORKDAYS
) -> dt.datetime:
    """The moment before which a reply must have been given for its rating window to be over
    at `at`: the start (Shanghai) of the `rating_window_workdays`-th working day counted back
    from today. Equivalent to `awaiting_return_visit`'s per-row count (working days in
    (replied day, today] >= window), but one indexed comparison instead of a Python loop."""
    cal = calendar_store.get_calendar()
    day = _today(at)
    if not workdays.is_workday(day, cal):
        day = workdays.previous_workday(day, cal).day
    for _step in range(rating_window_workdays - 1):
        day = workdays.previous_workday(day, cal).day
    return dt.datetime(day.year, day.month, day.day, tzinfo=workdays.SHANGHAI)


def awaiting_return_visit_condition(
    *, at: dt.datetime, rating_window_workdays: int = RATING_WINDOW_WORKDAYS
) -> Q:
    """`awaiting_return_visit` as a condition (see `return_visit_cutoff`)."""
    cutoff = return_visit_cutoff(at=at, rating_window_workdays=rating_window_workdays)
    return Q(state=DemandState.REPLIED, replied_at__lt=cutoff)


def demand_list(
    base: QuerySet[Demand], params: Any, *, at: dt.datetime, bigrams: bool = True
) -> tuple[DemandFilter, QuerySet[Demand]]:
    """`base` filtered and searched by `params`, newest first, with what a row shows."""
    filterset = DemandFilter(params, queryset=base, at=at, bigrams=bigrams)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    return filterset, queryset.select_related(*LIST_RELATED).order_by("-received_at", "-pk")


@dataclass(frozen=True)
class DepartmentDemands:
    """A department's demands in two disjoint parts, `led` (it is the lead department) and
    `co_only` (it co-handles them and does not lead), and their union `all`. Counting the
    parts apart lets PostgreSQL count the led part from the lead-department index alone."""

    led: QuerySet[Demand]
    co_only: QuerySet[Demand]
    all: QuerySet[Demand]


def department_demands(department_id: int, *, user: Any) -> DepartmentDemands:
    """The demands a department leads or co-handles, for a user whose scope holds the
    department (a subset of what `permissions.visible` gives its handler; nothing otherwise).

    Written to stay fast on a million rows: the co-handled ids are read first, because an `OR`
    with a join needs DISTINCT over the rows and an `OR` with a subquery cannot use the
    lead-department index. No per-row jurisdiction filter is added: assignment only ever
    gives a demand to a department of its own jurisdiction tree (`actions._check_department`),
    so checking the department's place once is equivalent, and it lets PostgreSQL count the
    rows from the index without reading them."""
    from lianqi.core.scoping import path_visible
    from lianqi.org.models import Department

    path = Department.objects.filter(pk=department_id).values_list("jurisdiction_path", flat=True).first()
    if path is None or not path_visible(user, path):
        nothing = Demand.objects.none()
        return DepartmentDemands(led=nothing, co_only=nothing, all=nothing)
    co = Demand.co_departments.through.objects.filter(department_id=department_id).values("demand_id")
    led = Demand.objects.filter(lead_department_id=department_id)
    co_only = Demand.objects.filter(pk__in=co).exclude(lead_department_id=department_id)
    union = Demand.objects.filter(Q(lead_department_id=department_id) | Q(pk__in=co))
    return DepartmentDemands(led=led, co_only=co_only, all=union)


class MergedIds:
    """The ids of disjoint querysets in one order, newest received first, sliceable like a
    queryset for the paginator. Each part is read along its own index only as far as the page
    reaches and the parts are merged in Python: one ordered scan over `a OR b` cannot use
    either part's index and may walk most of the table to fill a page."""

    def __init__(self, parts: Sequence[QuerySet[Demand]], count: int) -> None:
        self.parts = parts
        self.known_count = count

    def count(self) -> int:
        return self.known_count

    def __len__(self) -> int:
        return self.known_count

    def __getitem__(self, index: slice) -> list[int]:
        stop = self.known_count if index.stop is None else index.stop
        found: list[tuple[dt.datetime, int]] = []
        for part in self.parts:
            found.extend(part.order_by("-received_at", "-pk").values_list("received_at", "pk")[:stop])
        found.sort(reverse=True)
        return [pk for _received, pk in found[index]]


def inbox_tabs(*, at: dt.datetime, department_id: int) -> list[Tab]:
    """The department handler's tabs, in the order the page shows them."""
    return [
        Tab("assigned", _("待签收"), Q(state=DemandState.ASSIGNED, lead_department_id=department_id)),
        Tab("handling", _("办理中"), Q(state__in=(DemandState.SIGNED, DemandState.HANDLING))),
        Tab("due_soon", _("即将到期"), due_soon_condition(at=at, states=DEPARTMENT_STATES)),
        Tab("overdue", _("已超期"), overdue_condition(at=at, states=DEPARTMENT_STATES)),
        Tab("replied", _("已答复"), Q(state=DemandState.REPLIED)),
        Tab("all", _("全部"), Q()),
    ]


def board_tabs(*, at: dt.datetime) -> list[Tab]:
    """The service office's tabs, in the order the page shows them."""
    return [
        Tab("received", _("新受理"), Q(state=DemandState.RECEIVED)),
        Tab("sent_back", _("被退回"), Q(state=DemandState.SENT_BACK)),
        Tab("overdue", _("已超期"), overdue_condition(at=at)),
        Tab("due_soon", _("即将到期"), due_soon_condition(at=at)),
        Tab(
            "extension",
            _("延期申请"),
            Q(state__in=(DemandState.SIGNED, DemandState.HANDLING), extension_workdays__isnull=False),
        ),
        Tab("escalated", _("提级协调中"), Q(state=DemandState.ESCALATED)),
        Tab("replied", _("待评价/待回访"), Q(state=DemandState.REPLIED)),
        Tab("supervised", _("督办中"), Q(supervised_at__isnull=False, state__in=OPEN_STATES)),
    ]


def tab_counts(queryset: QuerySet[Demand], tabs: Sequence[Tab], *, open_only: bool = True) -> dict[str, int]:
    """Every tab's count in one aggregate query. Work tabs hold open demands only, so the scan
    is limited to them (a small share of a park's history); a tab without a condition (全部)
    counts every row of `queryset`, which the caller asks for with `open_only=False`."""
    scan = queryset.filter(state__in=OPEN_STATES) if open_only else queryset
    # Counting `state` (never null, so the same as counting rows), not the id: every index the
    # counts use holds the state, so a department's (lead_department, state, due_on) answers
    # alone, without the id it does not hold.
    aggregates = {
        tab.key: Count("state", filter=tab.condition) if tab.condition else Count("state") for tab in tabs
    }
    return dict(scan.order_by().aggregate(**aggregates))


def inbox_counts(parts: Sequence[QuerySet[Demand]], tabs: Sequence[Tab]) -> dict[str, int]:
    """The inbox tab counts, summed over the disjoint `parts` of a department's (filtered)
    demands: the work tabs over open demands in one aggregate query per part, 全部 over the
    whole history. Unfiltered, the led part is counted from the indexes alone."""
    work = [tab for tab in tabs if tab.condition]
    counts = dict.fromkeys((tab.key for tab in tabs), 0)
    for part in parts:
        for key, n in tab_counts(part, work).items():
            counts[key] += n
        for tab in tabs:
            if not tab.condition:
                counts[tab.key] += part.order_by().count()
    return counts


def legacy_progress(queryset: QuerySet[Demand]) -> dict[str, Any]:
    """Clearing progress of legacy problems (遗留问题清零): total, cleared (closed), open and the
    cleared share, overall and per lead department (most still open first)."""
    rows = (
        queryset.filter(is_legacy=True)
        .order_by()
        .values("lead_department_id", "lead_department__name")
        .annotate(total=Count("pk"), cleared=Count("pk", filter=Q(state=DemandState.CLOSED)))
    )
    departments = []
    total = cleared = 0
    for row in rows:
        total += row["total"]
        cleared += row["cleared"]
        departments.append(
            {
                "department_id": row["lead_department_id"],
                "name": row["lead_department__name"] or _("未交办"),
                "total": row["total"],
                "cleared": row["cleared"],
                "open": row["total"] - row["cleared"],
                "percent": _percent(row["cleared"], row["total"]),
            }
        )
    departments.sort(key=lambda d: (-d["open"], str(d["name"])))
    return {
        "total": total,
        "cleared": cleared,
        "open": total - cleared,
        "percent": _percent(cleared, total),
        "departments": departments,
    }


def _percent(part: int, whole: int) -> float:
    # A park with no legacy problem has cleared them all.
    return round(100.0 * part / whole, 1) if whole else 100.0
