"""Every read of key projects that matters: the portfolio with its filters and figures, one
project's battle map and reports, a meeting's agenda, and the counts of the measures. Status and
completion come from the plain-Python engine (`progress.py`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum

from lianqi.core.registry import Period
from lianqi.demands.choices import DemandState
from lianqi.demands.models import Demand
from lianqi.enterprises.models import Enterprise

from . import progress
from .choices import SERIES_VENUE, ProjectKind, ProjectStage
from .filters import ProjectFilter
from .models import (
    Decision,
    Meeting,
    Milestone,
    Problem,
    ProgressReport,
    Project,
    ProjectEvent,
    ReportWording,
)
from .permissions import visible


def projects_list(user: Any, params: Mapping[str, Any] | None = None) -> ProjectFilter:
    """The projects a user may see through the portfolio's filters (a bad value filters nothing)."""
    queryset = visible(user).select_related("enterprise", "department")
    return ProjectFilter(params or None, queryset=queryset)


@dataclass
class ProjectFigures:
    """One project's year in figures and its status (`progress.project_status`)."""

    project: Project
    year_done: Decimal
    completion: Decimal | None
    status: str
    slipped: int
    #: Days the most late of its open milestones is behind (0 when none is).
    slipped_days: int = 0


def figures(
    projects: Iterable[Project], today: dt.date, until: dt.date | None = None
) -> list[ProjectFigures]:
    """Each project's investment done in its plan year (the reports up to `until`'s month when
    given: a monthly report of a past month), completion and status, in two queries."""
    rows = list(projects)
    ids = [p.pk for p in rows]
    # Summed in the database: five years of monthly reports are never read row by row.
    years = {p.plan_year for p in rows}
    # No ordering: the models' default (by project) would join the projects and widen the GROUP BY.
    reports = ProgressReport.objects.filter(project_id__in=ids).order_by()
    if len(years) == 1:  # one plan year (the dashboard's): a range the (project, period) index serves
        year = years.pop()
        reports = reports.filter(period__gte=dt.date(year, 1, 1), period__lte=dt.date(year, 12, 31))
    else:
        reports = reports.filter(period__year=F("project__plan_year"))
    if until is not None:
        reports = reports.filter(period__lte=until)
    done: dict[int, Decimal] = dict(
        reports.values("project_id").annotate(total=Sum("invested")).values_list("project_id", "total")
    )
    dates: dict[int, list[progress.MilestoneDates]] = defaultdict(list)
    for m in (
        Milestone.objects.filter(project_id__in=ids)
        .order_by()
        .values("pk", "project_id", "planned_end", "actual_end")
    ):
        dates[m["project_id"]].append(progress.MilestoneDates(m["pk"], m["planned_end"], m["actual_end"]))
    answer = []
    for p in rows:
        year_done = done.get(p.pk, Decimal(0))
        status = progress.project_status(
            milestones=dates[p.pk],
            year_plan=p.year_plan,
            year_done=year_done,
            today=min(today, dt.date(p.plan_year, 12, 31)),
            finished=p.state == ProjectStage.PRODUCING,
        )
        late = [progress.slippage(m, today) for m in dates[p.pk] if m.actual_end is None]
        late = [days for days in late if days > 0]
        answer.append(
            ProjectFigures(
                p,
                year_done,
                progress.completion(year_done, p.year_plan),
                status,
                len(late),
                max(late, default=0),
            )
        )
    return answer


@dataclass
class Group:
    """Completion of a group of projects (a leader's, a kind's, the portfolio)."""

    label: str
    count: int = 0
    plan: Decimal = Decimal(0)
    done: Decimal = Decimal(0)
    members: list[ProjectFigures] = field(default_factory=list)

    @property
    def completion(self) -> Decimal | None:
        return progress.completion(self.done, self.plan)


def group_by(rows: Iterable[ProjectFigures], key: Any) -> list[Group]:
    """Completion against the yearly plan per value of `key(figures)` (a leader, a kind)."""
    groups: dict[str, Group] = {}
    for row in rows:
        label = str(key(row))
        group = groups.setdefault(label, Group(label))
        group.count += 1
        group.plan += row.project.year_plan
        group.done += row.year_done
        group.members.append(row)
    return sorted(groups.values(), key=lambda g: (-g.plan, g.label))


#: Slipped projects listed on the dashboard (the most slipped first; the count covers them all).
SLIPPED_SHOWN = 30


def portfolio(user: Any, year: int, today: dt.date, until: dt.date | None = None) -> dict[str, Any]:
    """The portfolio dashboard of one plan year: totals, completion by leader and by kind, the
    stage distribution, slipped projects and open decisions (investment reported up to `until`
    when given)."""
    fields = ("pk", "name", "kind", "leader", "state", "plan_year", "year_plan")
    rows = figures(visible(user).filter(plan_year=year).only(*fields), today, until)
    total = group_by(rows, lambda r: "")
    # Labels looked up once per value, not once per project: a portfolio has thousands.
    kinds = {value: str(label) for value, label in ProjectKind.choices}
    states = Counter(row.project.state for row in rows)
    slipped = sorted((r for r in rows if r.status == progress.SLIPPED), key=lambda r: -r.slipped)
    return {
        "year": year,
        "rows": rows,
        "total": total[0] if total else Group(""),
        "by_leader": group_by(rows, lambda r: r.project.leader),
        "by_kind": group_by(rows, lambda r: kinds[r.project.kind]),
        "stages": {str(label): states[value] for value, label in ProjectStage.choices},
        "slipped": slipped,
        "slipped_shown": slipped[:SLIPPED_SHOWN],
        "open_decisions": open_decisions(user).count(),
    }


def monthly_report(user: Any, year: int, month: int, today: dt.date) -> dict[str, Any]:
    """The month's analysis (项目月报): the dashboard's figures as they stood at the month's end
    (investment reported up to that month, slippage counted to its last day, or to today for the
    current month), the open decisions of the meetings with their demand's state, and the
    problems referred as demands during the month."""
    first = dt.date(year, month, 1)
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    as_of = min(today, last)
    context = portfolio(user, year, as_of, until=last)
    context["month"] = month
    context["as_of"] = as_of
    context["by_month"] = investment_by_month(user, year, month, context["total"].plan)
    context["decisions"] = (
        open_decisions(user)
        .select_related("meeting", "meeting__series", "project", "demand")
        .order_by("meeting__held_on", "pk")
    )
    context["referred"] = (
        Problem.objects.filter(
            project__in=visible(user),
            demand__received_at__date__gte=first,
            demand__received_at__date__lte=last,
        )
        .select_related("project", "demand")
        .order_by("demand__received_at", "pk")
    )
    return context


@dataclass(frozen=True)
class MonthFigures:
    """The portfolio's investment up to the end of one month of the plan year against the
    plan's share of the year to that month (the yearly plan spread evenly over twelve months)."""

    month: int
    plan: Decimal
    done: Decimal

    @property
    def completion(self) -> Decimal | None:
        return progress.completion(self.done, self.plan)


def investment_by_month(user: Any, year: int, month: int, year_plan: Decimal) -> list[MonthFigures]:
    """Cumulative plan and investment of the plan year's projects for January to `month`: the
    same reports as `figures` (those of the plan year), so the last month's investment is the
    portfolio's."""
    reports = (
        ProgressReport.objects.filter(
            project__in=visible(user).filter(plan_year=year),
            period__gte=dt.date(year, 1, 1),
            period__lte=dt.date(year, month, 1),
        )
        .order_by()
        .values("period")
        .annotate(total=Sum("invested"))
        .values_list("period", "total")
    )
    per_month = {period.month: total for period, total in reports}
    answer, done = [], Decimal(0)
    for m in range(1, month + 1):
        done += per_month.get(m, Decimal(0))
        plan = (Decimal(year_plan) * m / 12).quantize(progress.HUNDREDTH, rounding=ROUND_HALF_UP)
        answer.append(MonthFigures(m, plan, done))
    return answer


def report_wording(jurisdiction: Any) -> ReportWording | None:
    """The office's wording of the monthly report of `jurisdiction` (None: the standard one)."""
    if jurisdiction is None:
        return None
    return ReportWording.objects.filter(jurisdiction=jurisdiction).first()


def battle_map(project: Project, today: dt.date) -> dict[str, Any]:
    """A project's battle map: each milestone with its Gantt bars and slippage."""
    milestones = list(project.milestones.select_related("depends_on"))
    first, last, bars = progress.battle_map(
        (
            (progress.MilestoneDates(m.pk, m.planned_end, m.actual_end), m.planned_start, m.actual_start)
            for m in milestones
        ),
        today,
    )
    by_key = {bar.key: bar for bar in bars}
    return {"first": first, "last": last, "rows": [(m, by_key[m.pk]) for m in milestones]}


def reports(project: Project) -> QuerySet[ProgressReport]:
    """A project's reports, latest month first."""
    return project.reports.select_related("reported_by").prefetch_related("photos")


def history(project: Project) -> QuerySet[ProjectEvent]:
    """A project's events in order, with who acted."""
    return project.events.select_related("actor").order_by("at", "pk")


def for_enterprise(user: Any, enterprise: Enterprise) -> QuerySet[Project]:
    """The projects an enterprise owns that the user may see (its section of the enterprise's file)."""
    return visible(user).filter(enterprise=enterprise)


CLOSED_DEMAND = (DemandState.CLOSED,)


def open_decisions(user: Any) -> QuerySet[Decision]:
    """Decisions of meetings the user may see whose demand is not closed yet."""
    return Decision.objects.filter(project__in=visible(user)).exclude(demand__state__in=CLOSED_DEMAND)


def escalated(meeting: Meeting) -> QuerySet[Demand]:
    """The demands of the meeting's jurisdiction escalated to its series' venue (the dispatch
    meeting, or the reception day's roundtable) still waiting for a decision."""
    return (
        Demand.objects.filter(
            jurisdiction_path__startswith=meeting.jurisdiction_path,
            state=DemandState.ESCALATED,
            venue=SERIES_VENUE[meeting.series.kind],
        )
        .select_related("enterprise")
        .order_by("received_at", "pk")
    )


def agenda(user: Any, meeting: Meeting, today: dt.date) -> dict[str, Any]:
    """What a meeting takes first: the status of every decision of the series' earlier meetings
    still open (or closed since the last meeting), then the projects behind plan or slipped, and
    the demands escalated to its venue (提级协调) still waiting for its decision."""
    earlier = (
        Decision.objects.filter(meeting__series=meeting.series, meeting__held_on__lte=meeting.held_on)
        .exclude(meeting=meeting)
        .select_related("demand", "demand__lead_department", "project", "meeting")
        .order_by("meeting__held_on", "pk")
    )
    previous = (
        Meeting.objects.filter(series=meeting.series, held_on__lt=meeting.held_on)
        .order_by("-held_on")
        .first()
    )
    since = previous.held_on if previous else None
    carried = [
        d
        for d in earlier
        if d.demand.state not in CLOSED_DEMAND or (since and d.demand.updated_at.date() >= since)
    ]
    scope = visible(user).filter(jurisdiction_path__startswith=meeting.jurisdiction_path)
    behind = [
        row
        for row in figures(scope.select_related("enterprise"), today)
        if row.status in (progress.BEHIND, progress.SLIPPED)
    ]
    return {
        "carried": carried,
        "behind": behind,
        "escalated": escalated(meeting),
        "decisions": meeting.decisions.select_related("demand", "project"),
    }


def signed_count(jurisdiction_path: str, period: Period) -> int:
    """Key projects signed in `period` in a jurisdiction and those below it (a measure)."""
    return Project.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path,
        signed_on__gte=period.start,
        signed_on__lte=period.end,
    ).count()


def invested_wan(jurisdiction_path: str, period: Period) -> Decimal:
    """Investment reported for the months of `period` in 万元 (a measure)."""
    total = ProgressReport.objects.filter(
        project__jurisdiction_path__startswith=jurisdiction_path,
        period__gte=period.start.replace(day=1),
        period__lte=period.end,
    ).aggregate(total=Sum("invested"))["total"]
    return (total or Decimal(0)) / Decimal(10000)


def completion_rate(jurisdiction_path: str, period: Period) -> Decimal | None:
    """Investment done in the plan year of `period`'s end against the year's plans, in percent (a measure)."""
    year = period.end.year
    projects = Project.objects.filter(jurisdiction_path__startswith=jurisdiction_path, plan_year=year)
    plan = projects.aggregate(total=Sum("year_plan"))["total"] or Decimal(0)
    done = ProgressReport.objects.filter(
        Q(project__in=projects), period__year=year, period__lte=period.end
    ).aggregate(total=Sum("invested"))["total"]
    return progress.completion(done or Decimal(0), plan)
