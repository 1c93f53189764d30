"""Every read of this wing that matters: the list with its filters, an enterprise's items,
the history of one item, the pools of inspectors, the quiet periods and the joint visits,
and the figures of the home page and of the measures."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Period
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import scope_paths, scope_queryset
from lianqi.demands.models import Demand
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department
from lianqi.rules.formats import condition_json

from . import cells
from .choices import (
    NOT_REGISTERED_STATES,
    OPEN_STATES,
    Finding,
    InspectionState,
    LenientKind,
)
from .counting import COUNTS, aggregates, day_cells, overdue_rectification, registered
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
    StatisticsCell,
    StatisticsStaleDay,
)
from .permissions import (
    MANAGERS,
    own_department_id,
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
    """The enterprise's inspections its code page shows: those ahead, those of the last
    `CODE_PAGE_DAYS` days and, however old, those whose rectification is still to be followed
    up (its deadline stays in sight); not cancelled, latest first."""
    since = timezone.localdate() - dt.timedelta(days=CODE_PAGE_DAYS)
    open_order = Q(finding=Finding.RECTIFICATION, follow_up="")
    return (
        Inspection.objects.filter(enterprise=enterprise)
        .filter(Q(planned_on__gte=since) | open_order)
        .exclude(state__in=NOT_REGISTERED_STATES)
        .select_related("department", "rating", "lenient_item")
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
    ).exclude(state__in=NOT_REGISTERED_STATES)


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


# --- Statistics (执法检查统计) -----------------------------------------------------------------
#
# A handful of aggregate queries whatever the number of inspections: one grouped by department
# and month (both tables are sums of its cells), one for last year's count, one for the
# distribution over enterprises, one for the register and one for the reports of unregistered
# entries. The totals are the sum of the department rows, so no query of their own.

#: The joint-inspection rate the national rule asks for (联合检查率 ≥ 60 %).
JOINT_TARGET = Decimal(60)
#: The year-on-year change asked for: 10 % fewer inspections a year.
YOY_TARGET = Decimal(-10)
#: The buckets of the distribution of inspections over enterprises; the last one is "or more".
DISTRIBUTION_BUCKETS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Definition:
    """One figure of the statistics: its name, its definition in words, and its kind — a
    count, a rate (percent of a denominator), an average over a count, or a change (percent)."""

    key: str
    name: Any
    definition: Any
    kind: str
    unit: Any = ""
    target: Any = ""


@dataclass(frozen=True)
class Figure:
    """One figure's value (None when there is nothing to divide by, or too few ratings), with
    the numerator and denominator of a rate or an average."""

    key: str
    value: int | Decimal | None
    numerator: int | None = None
    denominator: int | None = None

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        return (
            f"{self.value}%"
            if isinstance(self.value, Decimal) and self.key.endswith("rate")
            else str(self.value)
        )


@dataclass(frozen=True)
class StatisticsRow:
    """One line of a table: a department (key its id), a month (key ``yyyy-mm``) or the total
    (key None)."""

    key: Any
    label: str
    figures: dict[str, Figure]


@dataclass(frozen=True)
class InspectionStatistics:
    """The statistics of one year in the user's scope: the table by department and by month
    (the same figures), the total, the distribution over enterprises and the headline figures
    that only make sense for the whole scope."""

    year: int
    period: Period
    departments: list[StatisticsRow]
    months: list[StatisticsRow]
    total: StatisticsRow
    distribution: list[tuple[str, int]]
    headline: dict[str, Figure]


def _rate(key: str, part: int, whole: int) -> Figure:
    value = (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None
    return Figure(key, value, part, whole)


def _rating(key: str, total: int, count: int) -> Figure:
    """The average rating, only from `MIN_RATINGS` ratings on (fewer could tell one firm's)."""
    if count < MIN_RATINGS:
        return Figure(key, None, None, None)
    return Figure(key, (Decimal(total) / count).quantize(Decimal("0.01")), total, count)


#: The figures of every row of the tables, in column order.
ROW_DEFINITIONS = {
    d.key: d
    for d in (
        Definition(
            "inspections",
            _("登记检查数"),
            _("计划检查日期在统计区间内、已登记（赋码）且未取消的执法检查次数"),
            "count",
            _("次"),
        ),
        Definition(
            "closed",
            _("已办结数"),
            _("其中已录入检查结果（办结）的次数；其余为已登记尚未办结"),
            "count",
            _("次"),
        ),
        Definition(
            "service",
            _("其中服务性检查数"),
            _("登记检查中检查性质为服务性检查（帮扶指导）的次数；其余为执法检查"),
            "count",
            _("次"),
        ),
        Definition(
            "joint_rate",
            _("联合检查率"),
            _("并入联合检查（综合查一次）的检查次数 ÷ 登记检查数"),
            "rate",
            "%",
            _("目标 ≥ 60%"),
        ),
        Definition(
            "registered_before_entry_rate",
            _("先登记后入企率"),
            _("已扫码入企的检查中，登记时间早于入企时间的次数 ÷ 已扫码入企的检查次数"),
            "rate",
            "%",
        ),
        Definition(
            "cap_warnings",
            _("超频次检查数"),
            _("登记时超过同一企业每天 1 次、每周 2 次或每月 3 次上限（已提示）的检查次数"),
            "count",
            _("次"),
        ),
        Definition(
            "rectifications_overdue",
            _("整改逾期数"),
            _(
                "责令限期整改的检查中，整改截止日期已过（早于今天）而未在截止日期当天或之前确认整改完成的次数，含逾期后才整改和未整改升级处理的；按计划检查日期所在月份统计"
            ),
            "count",
            _("次"),
        ),
        Definition(
            "unregistered_reports",
            _("未登记入企举报数"),
            _(
                "受理时间在统计区间内、类别为“执法检查”的企业诉求数（企业经检查码举报未登记入企检查即归入此类）；按受理月份统计，不分检查部门"
            ),
            "count",
            _("件"),
        ),
        Definition(
            "rating",
            _("企业评价平均分"),
            _("企业对检查的评分（1–5 分）的平均值；不足 5 条评价时不显示，以免推知单个企业的评价"),
            "average",
            _("分"),
        ),
    )
}

#: The figures of the whole scope only (the headline).
HEADLINE_DEFINITIONS = {
    d.key: d
    for d in (
        Definition(
            "enterprises_inspected",
            _("被检查企业数"),
            _("统计区间内至少被登记检查一次的企业数"),
            "count",
            _("家"),
        ),
        Definition(
            "per_enterprise",
            _("户均检查次数"),
            _("登记检查数 ÷ 被检查企业数"),
            "average",
            _("次"),
        ),
        Definition(
            "yoy_rate",
            _("检查数同比变化"),
            _(
                "（本期登记检查数 − 上年同期登记检查数）÷ 上年同期登记检查数；当年按 1 月 1 日至今天与上年同期比较"
            ),
            "change",
            "%",
            _("目标 ≤ −10%"),
        ),
    )
}

DISTRIBUTION_DEFINITION = Definition(
    "distribution",
    _("企业受检次数分布"),
    _("辖区在册企业（不含已迁出、已注销）按统计区间内被登记检查的次数分组的企业数：0、1、2、3、4 次及以上"),
    "count",
    _("家"),
)


def statistics_scope(user: Any) -> QuerySet[Inspection]:
    """The inspections a user's statistics count: the managers' jurisdiction subtree, a
    department handler's own department within it, nothing for anyone else."""
    rows = scope_queryset(Inspection.objects.all(), user)
    if has_role(user, MANAGERS):
        return rows
    if has_role(user, (Role.DEPARTMENT_HANDLER,)):
        department_id = own_department_id(user)
        return rows.filter(department_id=department_id) if department_id else rows.none()
    return rows.none()


def _counted(rows: QuerySet[Inspection], period: Period) -> QuerySet[Inspection]:
    return registered(rows.filter(planned_on__gte=period.start, planned_on__lte=period.end))


def _month_starts(period: Period) -> list[dt.date]:
    """The first day of each month of `period`'s year, and of the next year: the bounds of the
    months as plain date comparisons (which an index and a hash aggregate serve, where a
    month extracted from the date would make the database sort every row)."""
    year = period.start.year
    return [dt.date(year, month, 1) for month in range(1, 13)] + [dt.date(year + 1, 1, 1)]


def _row(key: Any, label: str, values: Mapping[str, Any], reports: int | None) -> StatisticsRow:
    figures = {
        "inspections": Figure("inspections", values["inspections"]),
        "closed": Figure("closed", values["closed"]),
        "service": Figure("service", values["service"]),
        "joint_rate": _rate("joint_rate", values["joint"], values["inspections"]),
        "registered_before_entry_rate": _rate(
            "registered_before_entry_rate", values["before_entry"], values["checked_in"]
        ),
        "cap_warnings": Figure("cap_warnings", values["cap_warnings"]),
        "rectifications_overdue": Figure("rectifications_overdue", values["rectifications_overdue"]),
        "unregistered_reports": Figure("unregistered_reports", reports),
        "rating": _rating("rating", values["rating_total"] or 0, values["rated"]),
    }
    return StatisticsRow(key, label, figures)


def _year_to_date(year: int, today: dt.date) -> tuple[Period, Period]:
    """This year's span and the same span a year earlier: the whole year, or up to today in the
    current year (29 February compared with 28 February)."""
    if year != today.year:
        return Period.year(year), Period.year(year - 1)
    end = today
    try:
        last_end = end.replace(year=year - 1)
    except ValueError:
        last_end = end.replace(year=year - 1, day=28)
    return Period(dt.date(year, 1, 1), end), Period(dt.date(year - 1, 1, 1), last_end)


def _distribution(rows: QuerySet[Inspection], register_count: int) -> list[int]:
    """How many enterprises of the register were inspected 0, 1, 2, 3 and 4+ times: the
    inspections grouped by enterprise, then those counts grouped in one SQL statement."""
    per_enterprise = rows.order_by().values("enterprise_id").annotate(n=Count("pk")).values("n")
    top = DISTRIBUTION_BUCKETS[-1]
    try:
        sql, params = per_enterprise.query.sql_with_params()
    except EmptyResultSet:
        # A scope that can hold nothing (a handler not bound to a department) has no SQL.
        counted: dict[int, int] = {}
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT CASE WHEN n >= {top} THEN {top} ELSE n END AS bucket, COUNT(*) "
                f"FROM ({sql}) AS per_enterprise GROUP BY 1",
                params,
            )
            counted = dict(cursor.fetchall())
    buckets = [int(counted.get(b, 0)) for b in DISTRIBUTION_BUCKETS]
    buckets[0] = max(register_count - sum(buckets[1:]), 0)
    return buckets


def unregistered_report_months(jurisdiction_paths: list[str] | None, period: Period) -> dict[int, int]:
    """The demands in the category 执法检查 (where an enterprise's report of an unregistered
    entry goes) received in `period`, by month (in local time), within the given jurisdiction
    subtrees (None: all)."""
    # The category is named where the reports are filed; imported late so that loading the
    # reads never loads the writes.
    from .actions import INSPECTION_CATEGORY

    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=timezone.get_current_timezone())
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=start.tzinfo)
    demands = Demand.objects.filter(
        category__name=INSPECTION_CATEGORY, received_at__gte=start, received_at__lt=end
    )
    if jurisdiction_paths is not None:
        condition = Q(pk__in=[])
        for path in jurisdiction_paths:
            condition |= Q(jurisdiction_path__startswith=path)
        demands = demands.filter(condition)
    months = demands.annotate(month=ExtractMonth("received_at")).values("month").annotate(n=Count("pk"))
    return {row["month"]: row["n"] for row in months.order_by()}


def _scoped_cells(user: Any) -> QuerySet[StatisticsCell]:
    """The day cells a user's statistics add up: as `statistics_scope`, on the cells."""
    cells_in_scope = scope_queryset(StatisticsCell.objects.all(), user)
    if has_role(user, MANAGERS):
        return cells_in_scope
    if has_role(user, (Role.DEPARTMENT_HANDLER,)):
        department_id = own_department_id(user)
        return cells_in_scope.filter(department_id=department_id) if department_id else cells_in_scope.none()
    return cells_in_scope.none()


def _cells_of(user: Any, period: Period, *, today: dt.date) -> list[dict[str, Any]]:
    """The (planned day, department) cells of `period` in the user's scope: the stored day
    cells, brought up to date first, when the statistics are read as of today; counted from
    the inspections (the same counting code) as of another day."""
    if today != timezone.localdate():
        return day_cells(
            statistics_scope(user).filter(planned_on__gte=period.start, planned_on__lte=period.end),
            today=today,
        )
    cells.mark_passed_deadlines(today)
    cells.refresh(marks=scope_queryset(StatisticsStaleDay.objects.all(), user))
    stored = _scoped_cells(user).filter(planned_on__gte=period.start, planned_on__lte=period.end)
    return list(stored.order_by().values("planned_on", "department_id", *COUNTS))


def inspection_statistics(user: Any, year: int, *, today: dt.date | None = None) -> InspectionStatistics:
    """The statistics page's figures for `year` in the user's scope (`statistics_scope`), added
    up from day cells (one per planned day and department)."""
    today = today or timezone.localdate()
    period, last_period = _year_to_date(year, today)
    scope = statistics_scope(user)
    rows = _counted(scope, period)
    by_department_id: dict[int, dict[str, Any]] = {}
    by_month: dict[int, dict[str, Any]] = {month: dict.fromkeys(COUNTS, 0) for month in range(1, 13)}
    for cell in _cells_of(user, period, today=today):
        department = by_department_id.setdefault(cell["department_id"], dict.fromkeys(COUNTS, 0))
        month = by_month[cell["planned_on"].month]
        for name in COUNTS:
            department[name] += cell[name] or 0
            month[name] += cell[name] or 0
    names = Department.objects.in_bulk(list(by_department_id))
    by_department = [
        {"department_id": pk, "department__name": names[pk].name, **counts}
        for pk, counts in sorted(
            by_department_id.items(), key=lambda item: (names[item[0]].order, names[item[0]].name)
        )
    ]
    handler_only = not has_role(user, MANAGERS)
    # A department's handler sees its inspections only; reports of unregistered entries name no
    # department, so they are counted for the managers only.
    reports = {} if handler_only else unregistered_report_months(scope_paths(user), period)
    departments = [_row(row["department_id"], row["department__name"], row, None) for row in by_department]
    months = [
        _row(
            f"{year}-{month:02d}",
            f"{year}-{month:02d}",
            by_month[month],
            None if handler_only else reports.get(month, 0),
        )
        for month in range(1, 13)
    ]
    summed = {name: sum(row[name] or 0 for row in by_department) for name in COUNTS}
    total = _row(None, str(_("合计")), summed, None if handler_only else sum(reports.values()))
    last_year = sum(cell["inspections"] for cell in _cells_of(user, last_period, today=today))
    register = scope_queryset(Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE), user).count()
    distribution = _distribution(rows, register)
    inspected = sum(distribution[1:])
    # A 4+ enterprise is counted among those inspected: `inspected` comes from the grouped rows.
    per_enterprise = (
        (Decimal(summed["inspections"]) / inspected).quantize(Decimal("0.01")) if inspected else None
    )
    change = (
        (Decimal(100) * (summed["inspections"] - last_year) / last_year).quantize(Decimal("0.1"))
        if last_year
        else None
    )
    headline = {
        "enterprises_inspected": Figure("enterprises_inspected", inspected),
        "per_enterprise": Figure("per_enterprise", per_enterprise, summed["inspections"], inspected),
        "yoy_rate": Figure("yoy_rate", change, summed["inspections"], last_year),
    }
    labels = [str(b) for b in DISTRIBUTION_BUCKETS[:-1]] + [f"{DISTRIBUTION_BUCKETS[-1]}+"]
    return InspectionStatistics(
        year=year,
        period=period,
        departments=departments,
        months=months,
        total=total,
        distribution=list(zip(labels, distribution, strict=True)),
        headline=headline,
    )


def registered_before_entry_share(jurisdiction_path: str, period: Period) -> Decimal | None:
    """The share of the period's checked-in inspections registered before entry (a measure)."""
    values = _registered(jurisdiction_path, period).aggregate(**aggregates())
    return _rate("registered_before_entry_rate", values["before_entry"], values["checked_in"]).value  # type: ignore[return-value]


def overdue_rectification_count(jurisdiction_path: str, period: Period) -> int:
    """The period's rectification orders whose deadline passed unmet, as of today (a measure;
    counted as the statistics page counts them)."""
    return _registered(jurisdiction_path, period).filter(overdue_rectification(timezone.localdate())).count()


def unregistered_report_count(jurisdiction_path: str, period: Period) -> int:
    """The period's reports of unregistered entries (a measure)."""
    return sum(unregistered_report_months([jurisdiction_path], period).values())


def repeated_this_month(
    user: Any, *, today: dt.date | None = None, at_least: int = 2
) -> list[dict[str, Any]]:
    """The enterprises the user may see inspected `at_least` times this month (not cancelled),
    the most inspected first: the office's home card of repeated inspections."""
    today = today or timezone.localdate()
    month = Period(today.replace(day=1), today.replace(day=monthrange(today.year, today.month)[1]))
    rows = (
        _counted(statistics_scope(user), month)
        .order_by()
        .values("enterprise_id", "enterprise__name")
        .annotate(n=Count("pk"))
        .filter(n__gte=at_least)
        .order_by("-n", "enterprise__name")[:10]
    )
    return [dict(row) for row in rows]


def overdue_rectifications(user: Any, *, today: dt.date | None = None, limit: int = 10) -> list[Inspection]:
    """The rectification orders in the user's statistics scope whose deadline passed before
    `today` with no follow-up recorded yet, the longest overdue first: the home pages' list
    of what to chase."""
    today = today or timezone.localdate()
    rows = statistics_scope(user).filter(
        finding=Finding.RECTIFICATION, follow_up="", rectification_due_on__lt=today
    )
    return list(
        rows.select_related("enterprise", "department").order_by("rectification_due_on", "pk")[:limit]
    )


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
            condition_json(item.rule["rules"][0]["eligibility"]) if item.rule else "",
            item.rule_note,
            item.yearly_cap,
            # In the reader's language; the import takes 是 and Yes alike (`items.YES`).
            str(_("是") if item.is_published else _("否")),
        ]
        for item in items
    ]
