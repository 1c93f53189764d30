"""Reads that matter for demands: deadlines, legacy problems and how demands ended, the lists
and their tabs, a demand's history, what the intake, the catalogue, the code pages and the
enterprise's file show, and the options of the pickers. Every function that depends on "now"
takes it as `at`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import rjieba
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from lianqi.core import calendar_store, workdays
from lianqi.core.scoping import path_visible, scope_queryset
from lianqi.core.search import apply_search
from lianqi.enterprises import permissions as enterprise_permissions
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department, Jurisdiction, Staff

from . import permissions
from .choices import OPEN_STATES, DemandState, Outcome
from .filters import DemandFilter, due_soon_condition, overdue_condition
from .models import (
    DEFAULT_DEADLINE_WORKDAYS,
    Category,
    CategoryRouting,
    Demand,
    DemandAttachment,
    DemandEvent,
)
from .statistics import Period, filter_demands


def visible(user: Any) -> QuerySet[Demand]:
    return permissions.visible(user)


def overdue(*, at: dt.datetime, queryset: QuerySet[Demand] | None = None) -> QuerySet[Demand]:
    """Demands a department still owes a reply on whose deadline (the end of `due_on`, Shanghai
    time) has passed at `at`."""
    qs = Demand.objects.all() if queryset is None else queryset
    return qs.filter(overdue_condition(at=at))


def due_soon(*, at: dt.datetime, queryset: QuerySet[Demand] | None = None) -> QuerySet[Demand]:
    """Open demands due today or on the next working day: from one working day before the
    deadline until it passes."""
    qs = Demand.objects.all() if queryset is None else queryset
    return qs.filter(due_soon_condition(at=at))


def overdue_count(jurisdiction_path: str, period: Period, *, at: dt.datetime) -> int:
    """How many demands received in `period` in the jurisdiction at `jurisdiction_path` (and
    below) are overdue at `at` (the measure ``demands.overdue``)."""
    received = filter_demands(
        Demand.objects.filter(jurisdiction_path__startswith=jurisdiction_path), period=period
    )
    return overdue(at=at, queryset=received).count()


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
    *,
    enterprise_id: int,
    category_id: int,
    description: str,
    exclude_pk: int | None = None,
    filed_from: str | None = None,
    limit: int = 5,
) -> list[tuple[Demand, float]]:
    """Open demands of the same enterprise and category whose text is alike, most alike
    first: shown before a new demand is submitted (only those filed from `filed_from` when
    given: a filer sees no one else's), and offered when the office merges."""
    candidates = Demand.objects.filter(
        enterprise_id=enterprise_id, category_id=category_id, state__in=OPEN_STATES
    ).select_related("category", "lead_department")
    if filed_from is not None:
        candidates = candidates.filter(contact_phone=filed_from)
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
#: What a list row shows (`views.lists.rows_html`): a page reads only these columns of its
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


def return_visit_cutoff(
    *, at: dt.datetime, rating_window_workdays: int = RATING_WINDOW_WORKDAYS
) -> dt.datetime:
    """The moment before which a reply must have been given for its rating window to be over
    at `at`: the start (Shanghai) of the `rating_window_workdays`-th working day counted back
    from today. Equivalent to `awaiting_return_visit`'s per-row count (working days in
    (replied day, today] >= window), but one indexed comparison instead of a Python loop."""
    cal = calendar_store.get_calendar()
    day = workdays.shanghai_date(at)
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


# --- Routing and the pickers' options --------------------------------------------------------


def default_routing(demand: Demand) -> tuple[Department | None, int]:
    """The lead department and deadline the jurisdiction configured for the demand's category
    (the nearest jurisdiction up the tree wins), or no department and the category's default."""
    routings = CategoryRouting.objects.filter(category_id=demand.category_id).select_related("department")
    best = None
    for routing in routings:
        if demand.jurisdiction_path.startswith(routing.jurisdiction_path) and (
            best is None or len(routing.jurisdiction_path) > len(best.jurisdiction_path)
        ):
            best = routing
    if best is None:
        return None, demand.category.deadline_workdays or DEFAULT_DEADLINE_WORKDAYS
    return best.department, best.deadline_workdays or demand.category.deadline_workdays


def departments_for(user: Any) -> QuerySet[Department]:
    """The active departments of the user's jurisdiction, the ones a demand may go to (the
    board's bulk assignment, the lists' and the statistics' department filter)."""
    return scope_queryset(Department.objects.filter(is_active=True), user).order_by("order", "name")


def _paths_up(path: str) -> list[str]:
    """The paths of a jurisdiction and of every one above it: `a/b/` → `a/`, `a/b/`."""
    parts = path.strip("/").split("/")
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def departments_for_demand(demand: Demand, user: Any) -> QuerySet[Department]:
    """Active departments that may lead or co-handle the demand: those of its jurisdiction or
    of one above it (the rule the actions enforce), within what the user may see."""
    queryset = Department.objects.filter(
        jurisdiction_path__in=_paths_up(demand.jurisdiction_path), is_active=True
    )
    return scope_queryset(queryset, user).order_by("-jurisdiction_path", "order", "name")


def owners_for_demand(demand: Demand, user: Any) -> QuerySet[Staff]:
    """Active staff who may own an escalation of the demand (same rule as departments)."""
    queryset = Staff.objects.filter(
        jurisdiction_path__in=_paths_up(demand.jurisdiction_path), is_active=True
    ).select_related("department")
    return scope_queryset(queryset, user).order_by("department__order", "name")


def staff_for(user: Any) -> QuerySet[Staff]:
    """The active staff of the user's jurisdiction, by name (the lists' liaison filter)."""
    return scope_queryset(Staff.objects.filter(is_active=True), user).order_by("name")


def category_choices() -> list[tuple[int, str]]:
    """Every category of the catalogue as (id, name), in list order (the filters' options)."""
    return list(Category.objects.order_by("order", "name").values_list("pk", "name"))


def category_or_none(pk: str) -> Category | None:
    """The category `pk` (a query string's text), or None when it names none."""
    return Category.objects.filter(pk=pk).first() if pk.isdigit() else None


def merge_target(user: Any, demand: Demand, pk: int) -> Demand | None:
    """Demand `pk`, if `demand` may be merged into it: one the user may see, of the same
    enterprise, still open, not `demand` itself."""
    return (
        permissions.visible(user)
        .filter(pk=pk, enterprise_id=demand.enterprise_id, state__in=OPEN_STATES)
        .exclude(pk=demand.pk)
        .first()
    )


# --- One demand: its page and its history ----------------------------------------------------


def history(demand: Demand) -> list[DemandEvent]:
    """The demand's events, oldest first, with who acted and for which department."""
    return list(
        demand.events.select_related("actor", "department", "actor__staff__department").order_by("at", "pk")
    )


def attachments_of(demand: Demand) -> list[DemandAttachment]:
    """The demand's files, oldest first, with who uploaded them."""
    return list(demand.attachments.select_related("uploaded_by"))


def co_departments_of(demand: Demand) -> list[Department]:
    return list(demand.co_departments.order_by("order", "name"))


def merged_into_it(demand: Demand) -> list[Demand]:
    """The duplicates merged into `demand`, in the order they came."""
    return list(demand.merged_demands.select_related("category").order_by("pk"))


# --- Intake ----------------------------------------------------------------------------------

#: How many enterprises the office's picker lists at once; the search narrows the rest.
PICKER_SIZE = 30
#: How many of "my recent demands" the liaison's phone view shows.
RECENT_SIZE = 20


def intake_picker(user: Any, query: str) -> list[Enterprise]:
    """The office picker's options for a search text: the jurisdiction's enterprises (those it
    may file for) whose name, credit code or address match, a screenful at a time."""
    enterprises = permissions.intake_enterprises(user, permissions.IntakeMode.OFFICE)
    if query:
        enterprises = apply_search(enterprises, query)
    return list(enterprises.order_by("name")[:PICKER_SIZE])


def liaison_enterprises(user: Any, staff: Staff, query: str = "") -> QuerySet[Enterprise]:
    """The enterprises a liaison serves, each with its count of open demands, the busiest
    first (searched by `query`)."""
    enterprises = (
        enterprise_permissions.visible(user)
        .filter(liaison=staff)
        .annotate(open_count=Count("demands", filter=Q(demands__state__in=OPEN_STATES)))
        .order_by("-open_count", "name")
    )
    return apply_search(enterprises, query) if query else enterprises


def liaison_recent(user: Any, staff: Staff) -> list[Demand]:
    """The demands a liaison recently took in or that concern their enterprises, newest first."""
    return list(
        permissions.visible(user)
        .filter(Q(raised_by=user) | Q(enterprise__liaison=staff))
        .select_related("enterprise", "category")
        .order_by("-received_at", "-pk")[:RECENT_SIZE]
    )


# --- The catalogue ---------------------------------------------------------------------------


def catalogue_rows(user: Any) -> list[tuple[Category, CategoryRouting | None]]:
    """Every category, in list order, with the routing the user's own jurisdiction set for it
    (None where it set none)."""
    jurisdiction_id = getattr(user, "jurisdiction_id", None)
    routings = (
        {
            r.category_id: r
            for r in CategoryRouting.objects.filter(jurisdiction_id=jurisdiction_id).select_related(
                "department"
            )
        }
        if jurisdiction_id is not None
        else {}
    )
    return [(c, routings.get(c.pk)) for c in Category.objects.order_by("order", "name")]


def routing_of(category: Category, jurisdiction: Jurisdiction) -> CategoryRouting | None:
    """The jurisdiction's own routing of `category`, if it set one."""
    return CategoryRouting.objects.filter(category=category, jurisdiction=jurisdiction).first()


# --- An enterprise's demands (its code pages, its file) --------------------------------------


def enterprise_demands(enterprise: Enterprise, *, filed_from: str | None = None) -> QuerySet[Demand]:
    """Every demand of the enterprise, newest first, with what its code pages show; with
    `filed_from`, only those filed from that phone (what someone who confirmed a phone the
    enterprise did not register may follow)."""
    demands = Demand.objects.filter(enterprise=enterprise).select_related("category", "lead_department")
    return demands if filed_from is None else demands.filter(contact_phone=filed_from)


def awaited_first(demands: QuerySet[Demand]) -> QuerySet[Demand]:
    """An enterprise's demands as it reads them (its home, its 我的诉求): those awaiting its
    rating first, then the other open ones, then the closed, each group newest first."""
    rank = Case(
        When(state=DemandState.REPLIED, then=Value(0)),
        When(state__in=OPEN_STATES, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return demands.annotate(awaited_rank=rank).order_by("awaited_rank", "-received_at", "-pk")


def open_demands(enterprise: Enterprise) -> QuerySet[Demand]:
    """The enterprise's demands that are not closed yet (the count on its code page)."""
    return Demand.objects.filter(enterprise=enterprise, state__in=OPEN_STATES)


def enterprise_section_rows(user: Any, enterprise: Enterprise) -> QuerySet[Demand]:
    """The enterprise's demands the user may see, for its file (一企一档): open ones first, then
    the closed ones, each group newest first."""
    closed_last = Case(
        When(state=DemandState.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return (
        permissions.visible(user)
        .filter(enterprise=enterprise)
        .select_related("category")
        .annotate(closed_last=closed_last)
        .order_by("closed_last", "-received_at", "-pk")
    )
