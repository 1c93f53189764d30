"""Every read of approvals that matters: a chart laid out (its waves, its critical path, its three
lists), a run's progress in working days against its target, the lists, an enterprise's runs,
and the figures of the home page and of the measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from lianqi.core import workdays
from lianqi.core.calendar_store import get_calendar
from lianqi.core.registry import Period
from lianqi.enterprises.models import Enterprise

from . import flow
from .choices import ItemState
from .filters import RunFilter
from .models import Chart, Item, Run, RunItem, RunItemEvent
from .permissions import visible_runs

TENTH = Decimal("0.1")


# --- A chart ---------------------------------------------------------------------------------


def chart_items(chart: Chart) -> list[Item]:
    """A chart's items with their stage, prerequisites and materials, in the chart's order."""
    return list(
        chart.items.select_related("stage")
        .prefetch_related("prerequisites", "materials")
        .order_by("stage__order", "order", "pk")
    )


def nodes(items: list[Item]) -> list[flow.Node]:
    """The chart's items counted in the promised working days, as the engine's nodes (the items
    of a stage after construction, such as 竣工验收, are left out)."""
    counted = [i for i in items if i.stage.counted]
    keys = {i.pk for i in counted}
    return [
        flow.Node(i.pk, i.time_limit, tuple(p.pk for p in i.prerequisites.all() if p.pk in keys))
        for i in counted
    ]


@dataclass
class ChartLayout:
    """A chart ready to draw: its stages as columns with their items, the schedule (earliest
    working days, slack, critical path) and the three lists."""

    chart: Chart
    items: list[Item]
    schedule: flow.Schedule
    columns: list[dict[str, Any]] = field(default_factory=list)

    @property
    def critical_names(self) -> list[str]:
        names = {i.pk: i.name for i in self.items}
        return [names[k] for k in self.schedule.critical_path]

    @property
    def materials_count(self) -> int:
        return sum(len(i.materials.all()) for i in self.items)

    @property
    def lenient_materials(self) -> int:
        return sum(1 for i in self.items for m in i.materials.all() if m.lenient)


def chart_layout(chart: Chart, states: Mapping[int, RunItem] | None = None) -> ChartLayout:
    """Lay a chart out for its diagram; with `states` (a run's items by chart item), each card
    carries the run item it stands for."""
    items = chart_items(chart)
    plan = flow.schedule(nodes(items))
    critical = set(plan.critical_path)
    layout = ChartLayout(chart=chart, items=items, schedule=plan)
    for stage in chart.stages.order_by("order", "pk"):
        cards = [
            {
                "item": item,
                "counted": item.pk in plan.earliest_start,
                "start": plan.earliest_start.get(item.pk, 0) + 1,
                "finish": plan.earliest_finish.get(item.pk, 0),
                "critical": item.pk in critical,
                "prerequisites": [p.name for p in item.prerequisites.all()],
                "run_item": (states or {}).get(item.pk),
            }
            for item in items
            if item.stage_id == stage.pk
        ]
        layout.columns.append({"stage": stage, "cards": cards})
    return layout


# --- A run -----------------------------------------------------------------------------------


@dataclass
class ItemProgress:
    """One run item as its page shows it: working days taken (from application to approval, or
    to today while open), whether it took longer than the chart's time limit, and whether its
    容缺 promise is broken."""

    row: RunItem
    workdays: int | None
    over_limit: bool
    promise_overdue: bool


@dataclass
class RunProgress:
    """A run against its target: working days from its start to its end (or today), how many
    remain, whether it is (or was finished) within the target, its items' progress and the
    critical path's length."""

    run: Run
    elapsed: int
    target: int
    finished: bool
    items: list[ItemProgress]
    fallback_years: frozenset[int]
    planned: int

    @property
    def within_target(self) -> bool:
        return self.elapsed <= self.target

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.elapsed)

    @property
    def approved(self) -> int:
        return sum(1 for p in self.items if p.row.state == ItemState.APPROVED)

    @property
    def lenient(self) -> int:
        return sum(1 for p in self.items if p.row.lenient)

    @property
    def overdue_promises(self) -> list[ItemProgress]:
        return [p for p in self.items if p.promise_overdue]

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.elapsed / self.target)) if self.target else 0


def _count(a: dt.date, b: dt.date, cal: workdays.CalendarLike) -> workdays.CountResult:
    return workdays.workdays_between(a, b, cal)


def run_items(run: Run) -> list[RunItem]:
    return list(
        run.items.select_related("item__stage", "run__chart")
        .prefetch_related("missing", "item__prerequisites")
        .order_by("item__stage__order", "item__order", "pk")
    )


def run_progress(run: Run, today: dt.date, rows: list[RunItem] | None = None) -> RunProgress:
    """A run's working days against its target on `today` (the Chinese calendar, 调休 included)."""
    cal = get_calendar()
    rows = run_items(run) if rows is None else rows
    end = run.finished_on or today
    total = _count(run.started_on, end, cal)
    fallback = set(total.fallback_years)
    items = []
    for row in rows:
        taken = None
        if row.submitted_on is not None:
            counted = _count(row.submitted_on, row.approved_on or today, cal)
            taken = counted.days
            fallback |= counted.fallback_years
        items.append(
            ItemProgress(
                row=row,
                workdays=taken,
                over_limit=taken is not None and taken > row.item.time_limit,
                promise_overdue=row.lenient and flow.promise_overdue(row.promise_on, row.supplied_on, today),
            )
        )
    planned = flow.schedule(nodes([r.item for r in rows])).length
    return RunProgress(
        run=run,
        elapsed=max(0, total.days),
        target=run.target_workdays,
        finished=run.finished_on is not None,
        items=items,
        fallback_years=frozenset(fallback),
        planned=planned,
    )


def run_list(user: Any, params: Mapping[str, Any] | None = None) -> RunFilter:
    """The runs a user may see through the list's filters, with their item counts."""
    queryset = (
        visible_runs(user)
        .select_related("project", "chart")
        .annotate(
            item_count=Count("items", distinct=True),
            approved_count=Count("items", filter=Q(items__state=ItemState.APPROVED), distinct=True),
            lenient_count=Count("items", filter=Q(items__lenient=True), distinct=True),
        )
        .order_by("-started_on", "-pk")
    )
    return RunFilter(params or None, queryset=queryset)


def elapsed_of(runs: list[Run], today: dt.date) -> dict[int, int]:
    """Each run's working days from its start to its end (or today)."""
    cal = get_calendar()
    return {r.pk: max(0, _count(r.started_on, r.finished_on or today, cal).days) for r in runs}


def for_enterprise(user: Any, enterprise: Enterprise) -> QuerySet[Run]:
    """The runs of an enterprise's projects that the user may see (its section of the file)."""
    return visible_runs(user).filter(project__enterprise=enterprise).select_related("project", "chart")


def history(row: RunItem) -> QuerySet[RunItemEvent]:
    """A run item's events in order, with who acted."""
    return row.events.select_related("actor").order_by("at", "pk")


def open_count(user: Any) -> int:
    """How many runs the user may see are not finished (the home page's card)."""
    return visible_runs(user).filter(finished_on__isnull=True).count()


def overdue_promise_count(user: Any, today: dt.date) -> int:
    """How many 容缺 promises of the runs the user may see are past their date with the
    materials still missing (the home's 容缺逾期未补齐; one supplied late is no longer awaited)."""
    return RunItem.objects.filter(
        run__in=visible_runs(user), lenient=True, supplied_on__isnull=True, promise_on__lt=today
    ).count()


# --- Measures --------------------------------------------------------------------------------


def _finished(jurisdiction_path: str, period: Period) -> list[Run]:
    return list(
        Run.objects.filter(
            jurisdiction_path__startswith=jurisdiction_path,
            finished_on__gte=period.start,
            finished_on__lte=period.end,
        )
    )


def average_workdays(jurisdiction_path: str, period: Period) -> Decimal | None:
    """The average working days from start to end of the runs finished in `period` (a measure)."""
    runs = _finished(jurisdiction_path, period)
    if not runs:
        return None
    cal = get_calendar()
    total = sum(max(0, _count(r.started_on, r.finished_on or r.started_on, cal).days) for r in runs)
    return (Decimal(total) / len(runs)).quantize(TENTH, rounding=ROUND_HALF_UP)


def within_target_share(jurisdiction_path: str, period: Period) -> Decimal | None:
    """The share (%) of the runs finished in `period` that took no more than their target (a measure)."""
    runs = _finished(jurisdiction_path, period)
    if not runs:
        return None
    cal = get_calendar()
    within = sum(
        1 for r in runs if _count(r.started_on, r.finished_on or r.started_on, cal).days <= r.target_workdays
    )
    return (Decimal(within) * 100 / len(runs)).quantize(TENTH, rounding=ROUND_HALF_UP)


def lenient_count(jurisdiction_path: str, period: Period) -> int:
    """Items accepted with materials missing (容缺受理) in `period` (a measure)."""
    return RunItem.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path,
        lenient=True,
        accepted_on__gte=period.start,
        accepted_on__lte=period.end,
    ).count()
