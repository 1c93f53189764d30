"""The figures of the demand statistics (诉求统计, M3): what a leader and the service office judge
the closed loop by, for a period, by department, liaison, category or month.

Two ways to the same figures: `compute_statistics` counts them from the demands and their
events (below), at any moment; `statistics_from_cells` adds up the stored day cells that
`day_cells` counts with the same queries (kept current by `cells`), which is what
a whole jurisdiction's page reads — a year over a million demands in tens of milliseconds.
See `docs/decisions/0004-statistics-day-cells.md`.

`DEFINITIONS` is the one source of each figure's Chinese name and definition: the page prints
it beside the figure, the API returns it, the Excel export carries it on a sheet of its own and
`docs/statistics.md` is generated from it (a test keeps them identical).

How it is computed, and why it is fast: two grouped queries whatever the number of demands.
One counts the demands with conditional aggregation (COUNT … FILTER), one joins the assigned
demands to their events (assignments, send-backs, signing); both group by (group, day received)
— a few thousand cells for a year — and the headline, the table and the months are rolled up
from those cells in Python, because every figure is a ratio of additive counts. Working days
are never counted by walking a calendar per row: a day's working-day *ordinal* (the number of
working days from a fixed base, see `DayTable`) turns ``workdays_between(a, b)`` into
``ord(b) - ord(a)``; the received day's ordinal is taken once per cell in Python, and the
closed or signed day's ordinal is one array lookup in SQL (the ordinals of the period go to
the database as one array parameter). Day offsets from the base are plain arithmetic in SQL
(Asia/Shanghai has no daylight saving), so no row pays for a time-zone conversion either.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connections, transaction
from django.db.models import Count, F, Func, IntegerField, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianqi.core import calendar_store, workdays
from lianqi.core.workdays import SHANGHAI
from lianqi.org.models import Department, Staff

from ..choices import DemandAction, Satisfaction
from ..models import Category, Demand, StatisticsCell, StatisticsDimension

#: The groupings a table can be drawn by.
GROUPS: tuple[str, ...] = ("department", "liaison", "category", "month")
GROUP_LABELS: dict[str, Promise] = {
    "department": _("按部门"),
    "liaison": _("按联企干部"),
    "category": _("按诉求类别"),
    "month": _("按月份"),
}

#: Events that put a demand into a department's hands (the state becomes "assigned"): each is
#: one assignment (交办) for the send-back rate.
ASSIGNING_ACTIONS = (
    DemandAction.ASSIGN,
    DemandAction.REROUTE,
    DemandAction.DECIDE_REASSIGN,
    DemandAction.RATE_REDO,
    DemandAction.RETURN_VISIT_REDO,
)
#: Working days after the assignment within which signing for it is on time.
SIGN_WITHIN_WORKDAYS = 1


@dataclass(frozen=True)
class Definition:
    """A figure's name and what exactly it counts. `kind` is ``count``, ``rate`` (numerator /
    denominator, shown in percent) or ``average`` (a sum divided by a count)."""

    key: str
    name: Promise
    definition: Promise
    kind: str
    unit: Promise | str = ""


DEFINITIONS: dict[str, Definition] = {
    d.key: d
    for d in (
        Definition(
            "received",
            _("受理诉求数"),
            _("统计期内受理（受理时间在统计期内，按北京时间）的诉求条数。以下各项均只统计这些诉求。"),
            "count",
            _("条"),
        ),
        Definition(
            "on_spot_rate",
            _("当即解决率"),
            _("分子：联企干部当即解决的诉求数；分母：受理诉求数。"),
            "rate",
        ),
        Definition(
            "signed_on_time_rate",
            _("按时签收率"),
            _(
                "分子：按时签收的次数；分母：签收次数。每次交办（含重新交办、重办）后签收一次；"
                "签收时距答复期限尚余的工作日数不少于答复时限减 1，即为按时签收"
                "（交办后 1 个工作日内签收；退回后重新交办的，时钟从首次交办起算，与答复期限一致）。"
                "按部门统计时计入签收的部门。"
            ),
            "rate",
        ),
        Definition(
            "closed_on_time_rate",
            _("按时办结率"),
            _(
                "分子：在答复期限（含批准的延期、重办后的新期限）当天结束前作出最后一次答复的诉求数"
                "（未经答复而办结的，以办结时间为准）；分母：统计时点前已办结且曾交办（有答复期限）的诉求数。"
            ),
            "rate",
        ),
        Definition(
            "send_back_rate",
            _("退回率"),
            _(
                "分子：承办部门退回的次数；分母：交办次数（交办、重新交办、协调后交办、评价或回访后重办）。"
                "按部门统计时计入退回或被交办的部门。"
            ),
            "rate",
        ),
        Definition(
            "redo_rate",
            _("重办率"),
            _("分子：因企业评价或回访“不满意”“未解决”而重办过的诉求数；分母：经过企业评价或回访的诉求数。"),
            "rate",
        ),
        Definition(
            "contacted_rate",
            _("联系率"),
            _(
                "分子：企业评价或回访中答“已联系”的诉求数；分母：经过企业评价或回访的诉求数（以最近一次为准）。"
            ),
            "rate",
        ),
        Definition(
            "solved_rate",
            _("解决率"),
            _(
                "分子：企业评价或回访中答“已解决”的诉求数；分母：经过企业评价或回访的诉求数（以最近一次为准）。"
                "“已办结”不等于“已解决”：以企业的回答为准。"
            ),
            "rate",
        ),
        Definition(
            "satisfied_rate",
            _("满意率"),
            _(
                "分子：企业评价或回访中答“满意”或“基本满意”的诉求数；"
                "分母：经过企业评价或回访的诉求数（以最近一次为准）。"
            ),
            "rate",
        ),
        Definition(
            "return_visit_satisfied_rate",
            _("回访满意率"),
            _(
                "分子：营商办回访中企业答“满意”或“基本满意”的回访次数；分母：回访次数。每次回访都计入"
                "（回访“不满意”而重办、重办后再次回访的，计两次），以回访当时的回答为准；企业自行评价不计入。"
            ),
            "rate",
        ),
        Definition(
            "average_workdays_to_close",
            _("平均办结工作日"),
            _(
                "统计时点前已办结的诉求，从受理日到办结日（北京时间）之间的工作日数（不含受理当日，"
                "按节假日与调休安排计算；当天办结为 0）的平均值。"
            ),
            "average",
            _("个工作日"),
        ),
        Definition(
            "legacy_open",
            _("遗留问题未清零数"),
            _("转专家专项协商的遗留问题中，统计时点仍未办结的条数。"),
            "count",
            _("条"),
        ),
        Definition(
            "legacy_cleared_rate",
            _("遗留问题清零率"),
            _("分子：统计时点前已办结的遗留问题数；分母：遗留问题数。"),
            "rate",
        ),
    )
}

#: The figures shown in the tables (every figure); the headline shows them all too.
FIGURE_KEYS: tuple[str, ...] = tuple(DEFINITIONS)


@dataclass(frozen=True)
class Figure:
    """One figure of one row: for a rate its numerator, denominator and percent; for an
    average the total and the count; for a count its value. `value` is None when the
    denominator is 0 (shown as “—”, never as 0 %)."""

    key: str
    kind: str
    value: Decimal | int | None
    numerator: int | None = None
    denominator: int | None = None

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        if self.kind == "rate":
            return f"{self.value}%"
        return str(self.value)

    def as_dict(self) -> dict[str, Any]:
        value: Any = self.value
        if isinstance(value, Decimal):
            value = float(value)
        return {
            "key": self.key,
            "value": value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "display": self.display,
        }


@dataclass
class Counts:
    """The raw counts of one group, all additive, so groups roll up by summing."""

    received: int = 0
    on_spot: int = 0
    signs: int = 0
    signs_on_time: int = 0
    closed_with_deadline: int = 0
    closed_on_time: int = 0
    assignments: int = 0
    send_backs: int = 0
    rated: int = 0
    redone: int = 0
    contacted: int = 0
    solved: int = 0
    satisfied: int = 0
    return_visits: int = 0
    return_visits_satisfied: int = 0
    closed: int = 0
    # Sum over closed demands of ord(closed date) - ord(received date): working days to close.
    close_workdays: int = 0
    legacy: int = 0
    legacy_cleared: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_fields(self) -> dict[str, int]:
        """The counts by name: the columns of a `StatisticsCell`."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def figures(self) -> dict[str, Figure]:
        def rate(key: str, num: int, den: int) -> Figure:
            return Figure(key, "rate", _percent(num, den), num, den)

        average = (
            (Decimal(self.close_workdays) / self.closed).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if self.closed
            else None
        )
        figures = [
            Figure("received", "count", self.received),
            rate("on_spot_rate", self.on_spot, self.received),
            rate("signed_on_time_rate", self.signs_on_time, self.signs),
            rate("closed_on_time_rate", self.closed_on_time, self.closed_with_deadline),
            rate("send_back_rate", self.send_backs, self.assignments),
            rate("redo_rate", self.redone, self.rated),
            rate("contacted_rate", self.contacted, self.rated),
            rate("solved_rate", self.solved, self.rated),
            rate("satisfied_rate", self.satisfied, self.rated),
            rate("return_visit_satisfied_rate", self.return_visits_satisfied, self.return_visits),
            Figure("average_workdays_to_close", "average", average, self.close_workdays, self.closed),
            Figure("legacy_open", "count", self.legacy - self.legacy_cleared),
            rate("legacy_cleared_rate", self.legacy_cleared, self.legacy),
        ]
        return {f.key: f for f in figures}


def _percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100 * numerator) / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Row:
    """One line of a table (or the headline): the group's key and label, and its figures."""

    key: Any
    label: str
    counts: Counts

    @property
    def figures(self) -> dict[str, Figure]:
        return self.counts.figures()

    def as_dict(self) -> dict[str, Any]:
        key = self.key.isoformat()[:7] if isinstance(self.key, dt.date) else self.key
        return {
            "key": key,
            "label": self.label,
            "figures": [f.as_dict() for f in self.figures.values()],
        }


@dataclass
class Statistics:
    """The result: the headline (`total`), the rows of the grouping (empty without one), the
    months of the period (for the trend chart; the same rows when grouped by month), and the
    years whose holiday arrangement was missing (Monday–Friday assumed for them)."""

    group_by: str | None
    total: Row
    rows: list[Row] = field(default_factory=list)
    months: list[Row] = field(default_factory=list)
    fallback_years: list[int] = field(default_factory=list)


# --- The computation -------------------------------------------------------------------------

#: The day tables reach this many days past the later of `at` and the period's end, so
#: a reply deadline set near the end still falls inside the table.
TABLE_MARGIN_DAYS = 400


class DayTable:
    """Two tables over a run of days from `base`: each day's working-day ordinal (the number
    of working days in ``(base, day]``, so ``ord(b) - ord(a) == workdays_between(a, b)``) and
    its month (``yyyymm``). The ordinals go to the database as an array parameter, so a
    per-row working-day count is an array lookup; the months are read in Python per cell.
    Asia/Shanghai has had no daylight saving since 1991, so a Shanghai day is a fixed 86,400 s
    from the base's midnight."""

    def __init__(self, first: dt.date, last: dt.date, calendar: workdays.Calendar) -> None:
        self.base = first
        self.midnight = dt.datetime(first.year, first.month, first.day, tzinfo=SHANGHAI)
        ordinals, months = [0], [first.year * 100 + first.month]
        day, count = first, 0
        while day < last:
            day += dt.timedelta(days=1)
            count += workdays.is_workday(day, calendar)
            ordinals.append(count)
            months.append(day.year * 100 + day.month)
        self.ordinals = ordinals
        self.months = months
        self.fallback_years = sorted(workdays.years_not_loaded(first, last, calendar))

    def month_of(self, offset: int) -> dt.date:
        yyyymm = self.months[min(max(offset, 0), len(self.months) - 1)]
        return dt.date(yyyymm // 100, yyyymm % 100, 1)


class DayLookup(Func):
    """For the Shanghai day of a datetime expression (or of a date expression, with
    ``is_date``): its offset from the table's base day (``which="offset"``: plain arithmetic,
    and what queries group by), or its `DayTable` entry (``ordinals``: one array lookup). A
    day outside the table takes the nearest end: days are never before the period starts, and
    a deadline more than `TABLE_MARGIN_DAYS` ahead is far enough to count as not near."""

    output_field = IntegerField()

    def __init__(self, expression: Any, table: DayTable, which: str, *, is_date: bool = False) -> None:
        super().__init__(expression)
        self.values: list[int] | None = None if which == "offset" else getattr(table, which)
        self.table = table
        self.is_date = is_date

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        day_sql, day_params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            if self.is_date:
                offset, base = f"(({day_sql}) - %s::date)", self.table.base
            else:
                # timestamptz minus timestamptz is "n days hh:mm:ss": n is the day offset.
                offset, base = (
                    f"date_part('day', ({day_sql}) - %s::timestamptz)::integer",
                    self.table.midnight,
                )
            if self.values is None:
                return offset, [*day_params, base]
            sql = f"(%s::integer[])[LEAST(GREATEST({offset}, 0), %s) + 1]"
            return sql, [self.values, *day_params, base, len(self.values) - 1]
        if connection.vendor == "sqlite":
            # Datetimes are stored as UTC text; julianday() reads them as UTC.
            base_text = (
                self.table.base.isoformat()
                if self.is_date
                else self.table.midnight.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
            )
            offset = f"CAST(julianday({day_sql}) - julianday(%s) AS INTEGER)"
            if self.values is None:
                return offset, [*day_params, base_text]
            sql = f"json_extract(%s, '$[' || MIN(MAX({offset}, 0), %s) || ']')"
            return sql, [json.dumps(self.values), *day_params, base_text, len(self.values) - 1]
        raise NotImplementedError(connection.vendor)  # pragma: no cover


def _demand_key(group_by: str | None) -> str | None:
    return {
        None: None,
        "month": None,  # every query groups by month anyway
        "department": "lead_department_id",
        "liaison": "liaison_id",
        "category": "category_id",
    }[group_by]


def _event_key(group_by: str | None) -> str | None:
    # Signing and sending back are acts of the department that held the demand at the time.
    if group_by == "department":
        return "events__department_id"
    return _demand_key(group_by)


def compute_statistics(
    queryset: QuerySet[Demand],
    *,
    group_by: str | None = None,
    at: dt.datetime,
    department_id: int | None = None,
) -> Statistics:
    """The figures of the demands in `queryset` (already scoped and filtered to the period),
    judged at the moment `at`: a demand received or closed after `at` counts as not yet
    received or still open. Gives the headline, the months, and with `group_by` (one of
    `GROUPS`) the rows of that table. `department_id` limits the event figures (signing,
    send-backs) to that department's own acts, as a department's page shows.

    Two grouped queries whatever the number of demands: one over the demands, one over their
    events, each grouped by (group, month received), so that the headline, the table and the
    months all roll up from the same few hundred groups."""
    if group_by is not None and group_by not in GROUPS:
        raise ValueError(f"unknown grouping {group_by!r}")
    if queryset.query.distinct:
        # A scope through a many-to-many (a handler's co-handled demands) joins rows that
        # would be counted twice in a GROUP BY; take the ids instead.
        queryset = Demand.objects.filter(pk__in=queryset.values("pk"))
    # A demand received after `at` did not exist yet at that moment.
    demands = queryset.filter(received_at__lte=at).order_by()
    first = demands.aggregate(first=Min("received_at"))["first"]
    if first is None:
        return _assemble(group_by, {}, [])
    first_day = workdays.shanghai_date(first)
    table = DayTable(
        first_day,
        workdays.shanghai_date(at) + dt.timedelta(days=TABLE_MARGIN_DAYS),
        calendar_store.get_calendar(),
    )
    cells: dict[tuple[Any, dt.date], Counts] = defaultdict(Counts)
    demand_key, event_key = _demand_key(group_by), _event_key(group_by)
    with transaction.atomic(using=demands.db), _analytic_settings(demands.db):
        found = itertools.chain(
            _demand_counts(demands, [demand_key] if demand_key else [], at, table),
            _event_counts(demands, [event_key] if event_key else [], at, department_id, table),
        )
        for keys, day, counts in found:
            cells[(keys[0] if keys else None, table.month_of(day))].add(counts)
    fallback = [y for y in table.fallback_years if y <= workdays.shanghai_date(at).year]
    return _assemble(group_by, cells, fallback)


@contextmanager
def _analytic_settings(alias: str) -> Iterator[None]:
    """On PostgreSQL, for this transaction only: enough memory to group the (group, day)
    cells in a hash table (the planner cannot estimate how few there are and otherwise sorts a
    million rows on disk), no JIT (compiling costs more than these queries take), and parallel
    workers, which pages go without (`config/settings/base.py`) but a year's scan gains from."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 2"
            )
    yield


def _demand_counts(
    demands: QuerySet[Demand], key_fields: Sequence[str], at: dt.datetime, table: DayTable
) -> Iterator[tuple[tuple[Any, ...], int, Counts]]:
    """The demands' own counts grouped by `key_fields` and the day received: yields (the
    keys, the day's offset in `table`, the counts)."""
    closed = Q(closed_at__lte=at)
    rated = ~Q(rating_source="")
    with_deadline = closed & Q(due_on__isnull=False)
    # Grouped by the day received (an offset from the table's base): the month and the
    # received day's working-day ordinal are then looked up in Python, once per group.
    rows = (
        demands.annotate(day=DayLookup("received_at", table, "offset"))
        .alias(
            # Day offsets compare like Shanghai dates: finished on or before the due date.
            finished=DayLookup(Coalesce("replied_at", "closed_at"), table, "offset"),
            due=DayLookup("due_on", table, "offset", is_date=True),
            closed_ordinal=DayLookup("closed_at", table, "ordinals"),
        )
        .values("day", *key_fields)
        .annotate(
            received=Count("pk"),
            on_spot=Count("pk", filter=Q(solved_on_spot=True)),
            closed=Count("pk", filter=closed),
            close_workdays=Sum("closed_ordinal", filter=closed),
            closed_with_deadline=Count("pk", filter=with_deadline),
            closed_on_time=Count("pk", filter=with_deadline & Q(finished__lte=F("due"))),
            rated=Count("pk", filter=rated),
            redone=Count("pk", filter=rated & Q(redo_count__gt=0)),
            contacted=Count("pk", filter=rated & Q(contacted=True)),
            solved=Count("pk", filter=rated & Q(solved=True)),
            satisfied=Count(
                "pk", filter=rated & Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASICALLY))
            ),
            legacy=Count("pk", filter=Q(is_legacy=True)),
            legacy_cleared=Count("pk", filter=Q(is_legacy=True) & closed),
        )
    )
    for row in rows:
        counts = Counts(**{name: row[name] or 0 for name in DEMAND_COUNTS})
        # Working days to close = ord(closed) - ord(received); the received half is per group.
        counts.close_workdays -= counts.closed * table.ordinals[row["day"]]
        yield tuple(row[f] for f in key_fields), row["day"], counts


#: The counts read from the demands themselves; the others come from their events.
DEMAND_COUNTS = (
    "received",
    "on_spot",
    "closed",
    "close_workdays",
    "closed_with_deadline",
    "closed_on_time",
    "rated",
    "redone",
    "contacted",
    "solved",
    "satisfied",
    "legacy",
    "legacy_cleared",
)
EVENT_COUNTS = (
    "assignments",
    "send_backs",
    "signs",
    "signs_on_time",
    "return_visits",
    "return_visits_satisfied",
)
#: The events of the office's return visits (回访), whatever they led to.
RETURN_VISIT_ACTIONS = (DemandAction.RETURN_VISIT, DemandAction.RETURN_VISIT_REDO)


def _event_counts(
    demands: QuerySet[Demand],
    key_fields: Sequence[str],
    at: dt.datetime,
    department_id: int | None,
    table: DayTable,
) -> Iterator[tuple[tuple[Any, ...], int, Counts]]:
    """Assignments, send-backs and signing on time, from the event history of the demands,
    grouped by `key_fields` (``events__department_id`` for the department that acted) and
    the day the demand was received."""
    # One join of the demands to their events (not an IN over a second scan of the demands).
    condition = Q(
        events__at__lte=at,
        events__action__in=(
            *ASSIGNING_ACTIONS,
            *RETURN_VISIT_ACTIONS,
            DemandAction.SEND_BACK,
            DemandAction.SIGN,
        ),
    )
    if department_id is not None:
        condition &= Q(events__department_id=department_id)
    # Only an assigned demand has these events (`assigned_at` is set by the first assignment
    # and never cleared): the join then hashes a third of the demands, not all of them.
    joined = demands.filter(assigned_at__isnull=False).filter(condition)
    # On time when, at signing, at least (limit - 1) working days were left before the reply
    # deadline the sign event recorded: the same as "within one working day of assignment".
    days_left = DayLookup("events__due_on", table, "ordinals", is_date=True) - DayLookup(
        "events__at", table, "ordinals"
    )
    on_time = GreaterThanOrEqual(days_left, F("deadline_workdays") - SIGN_WITHIN_WORKDAYS)
    sign = Q(events__action=DemandAction.SIGN)
    return_visit = Q(events__action__in=RETURN_VISIT_ACTIONS) & ~Q(events__satisfaction="")
    rows = (
        joined.annotate(day=DayLookup("received_at", table, "offset"))
        .values("day", *key_fields)
        .annotate(
            assignments=Count("events", filter=Q(events__action__in=ASSIGNING_ACTIONS)),
            send_backs=Count("events", filter=Q(events__action=DemandAction.SEND_BACK)),
            signs=Count("events", filter=sign),
            signs_on_time=Count("events", filter=sign & Q(events__due_on__isnull=False) & Q(on_time)),
            # Only visits whose answer the event kept (older events did not record it).
            return_visits=Count("events", filter=return_visit),
            return_visits_satisfied=Count(
                "events",
                filter=return_visit
                & Q(events__satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASICALLY)),
            ),
        )
    )
    for row in rows:
        counts = Counts(**{name: row[name] for name in EVENT_COUNTS})
        yield tuple(row[f] for f in key_fields), row["day"], counts


#: The demand's own key of each dimension of a day cell (`day_cells`); events are counted
#: under the department that acted instead of the lead department.
CELL_KEYS = {
    StatisticsDimension.DEPARTMENT: "lead_department_id",
    StatisticsDimension.LIAISON: "liaison_id",
    StatisticsDimension.CATEGORY: "category_id",
}
CELL_EVENT_KEYS = {**CELL_KEYS, StatisticsDimension.DEPARTMENT: "events__department_id"}


def day_cells(demands: QuerySet[Demand], *, at: dt.datetime) -> dict[tuple[dt.date, str, Any], Counts]:
    """The counts of `demands` by the day received (Shanghai), in total and by each
    dimension: the cells `cells.refresh` stores. The same two grouped
    queries as `compute_statistics`, grouped by all three keys at once."""
    first = demands.order_by().aggregate(first=Min("received_at"))["first"]
    if first is None:
        return {}
    table = DayTable(
        workdays.shanghai_date(first),
        workdays.shanghai_date(at) + dt.timedelta(days=TABLE_MARGIN_DAYS),
        calendar_store.get_calendar(),
    )
    dimensions = list(CELL_KEYS)
    cells: dict[tuple[dt.date, str, Any], Counts] = defaultdict(Counts)
    demands = demands.filter(received_at__lte=at).order_by()
    with transaction.atomic(using=demands.db), _analytic_settings(demands.db):
        found = itertools.chain(
            _demand_counts(demands, list(CELL_KEYS.values()), at, table),
            _event_counts(demands, list(CELL_EVENT_KEYS.values()), at, None, table),
        )
        for keys, offset, counts in found:
            day = table.base + dt.timedelta(days=offset)
            cells[(day, StatisticsDimension.TOTAL, None)].add(counts)
            for dimension, key in zip(dimensions, keys, strict=True):
                cells[(day, dimension, key)].add(counts)
    return dict(cells)


#: The stored dimension each grouping reads (by month: the totals, month by month).
GROUP_DIMENSIONS: dict[str | None, str] = {
    None: StatisticsDimension.TOTAL,
    "month": StatisticsDimension.TOTAL,
    "department": StatisticsDimension.DEPARTMENT,
    "liaison": StatisticsDimension.LIAISON,
    "category": StatisticsDimension.CATEGORY,
}


def statistics_from_cells(
    cells: QuerySet[StatisticsCell], *, period: Period, group_by: str | None = None, at: dt.datetime
) -> Statistics:
    """The same `Statistics` as `compute_statistics`, judged now, added up from the stored
    day cells (`cells`: already scoped and filtered with `filter_by_day`): one grouped query
    over a few thousand rows, however many demands they count."""
    if group_by is not None and group_by not in GROUPS:
        raise ValueError(f"unknown grouping {group_by!r}")
    names = list(Counts.__dataclass_fields__)
    rows = (
        cells.filter(dimension=GROUP_DIMENSIONS[group_by])
        .order_by()
        .annotate(month=TruncMonth("received_on"))
        .values("key", "month")
        .annotate(**{f"sum_{name}": Sum(name) for name in names})
    )
    grouped: dict[tuple[Any, dt.date], Counts] = {}
    for found in rows:
        row: dict[str, Any] = dict(found)
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        key = row["key"] if group_by not in (None, "month") else None
        grouped[(key, month)] = Counts(**{name: row[f"sum_{name}"] or 0 for name in names})
    calendar = calendar_store.get_calendar()
    judged = workdays.shanghai_date(at)
    fallback = sorted(workdays.years_not_loaded(period.first, min(period.last, judged), calendar))
    return _assemble(group_by, grouped, [y for y in fallback if y <= judged.year])


def _assemble(
    group_by: str | None, cells: dict[tuple[Any, dt.date], Counts], fallback: list[int]
) -> Statistics:
    """Roll the (group, month) cells up into the headline, the table and the months."""
    total = Counts()
    by_key: dict[Any, Counts] = defaultdict(Counts)
    by_month: dict[dt.date, Counts] = defaultdict(Counts)
    for (key, month), counts in cells.items():
        total.add(counts)
        by_key[key].add(counts)
        by_month[month].add(counts)
    months = [Row(m, f"{m.year}-{m.month:02d}", by_month[m]) for m in sorted(by_month)]
    rows: list[Row] = []
    if group_by == "month":
        rows = months
    elif group_by is not None:
        labels = _labels(group_by, [k for k in by_key if k is not None])
        rows = [Row(k, labels.get(k, str(_("（未指定）"))), c) for k, c in by_key.items()]
        rows.sort(key=lambda r: _sort_key(group_by, r))
    return Statistics(
        group_by=group_by,
        total=Row(None, str(_("合计")), total),
        rows=rows,
        months=months,
        fallback_years=fallback,
    )


def _labels(group_by: str, keys: list[Any]) -> dict[Any, str]:
    if group_by == "month":
        return {k: f"{k.year}-{k.month:02d}" for k in keys}
    model: Any = {"department": Department, "liaison": Staff, "category": Category}[group_by]
    return {pk: name for pk, name in model.objects.filter(pk__in=keys).values_list("pk", "name")}


def _sort_key(group_by: str, row: Row) -> tuple[Any, ...]:
    if group_by == "month":
        return (row.key,)
    if group_by == "category":
        return (row.key is None, row.label)
    # Departments and liaisons: the busiest first, so the table reads as a ranking.
    return (row.key is None, -row.counts.received, row.label)


# --- Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A span of Shanghai days, both ends included."""

    first: dt.date
    last: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.first.year, self.first.month, self.first.day, tzinfo=SHANGHAI)

    @property
    def end(self) -> dt.datetime:
        following = self.last + dt.timedelta(days=1)
        return dt.datetime(following.year, following.month, following.day, tzinfo=SHANGHAI)

    def months(self) -> Iterator[dt.date]:
        month = self.first.replace(day=1)
        while month <= self.last:
            yield month
            month = (month + dt.timedelta(days=32)).replace(day=1)


def filter_demands(
    queryset: QuerySet[Demand],
    *,
    period: Period,
    jurisdiction_code: str | None = None,
    department_id: int | None = None,
    category_id: int | None = None,
) -> QuerySet[Demand]:
    """The demands received in `period`, optionally in one jurisdiction (its code anywhere in
    the path, so a township keeps its villages), led by one department, of one category."""
    queryset = _in_jurisdiction(
        queryset.filter(received_at__gte=period.start, received_at__lt=period.end), jurisdiction_code
    )
    if department_id is not None:
        queryset = queryset.filter(lead_department_id=department_id)
    if category_id is not None:
        queryset = queryset.filter(category_id=category_id)
    return queryset


def filter_by_day(
    queryset: QuerySet[Any], *, period: Period, jurisdiction_code: str | None = None
) -> QuerySet[Any]:
    """Day cells or stale-day marks of `period`, optionally in one jurisdiction (as
    `filter_demands` does for the demands)."""
    return _in_jurisdiction(
        queryset.filter(received_on__gte=period.first, received_on__lte=period.last), jurisdiction_code
    )


def _in_jurisdiction(queryset: QuerySet[Any], code: str | None) -> QuerySet[Any]:
    # The code anywhere in the path, so a township keeps its villages.
    return queryset.filter(jurisdiction_path__contains=f"{code}/") if code else queryset


def fill_months(statistics: Statistics, period: Period) -> Statistics:
    """Every month of the period in the months (and in the rows when grouped by month), empty
    months included: a trend chart with gaps would read as a smooth line."""
    present = {row.key: row for row in statistics.months}
    statistics.months = [
        present.get(month) or Row(month, f"{month.year}-{month.month:02d}", Counts())
        for month in period.months()
    ]
    if statistics.group_by == "month":
        statistics.rows = statistics.months
    return statistics


def definitions_markdown() -> str:
    """`docs/statistics.md`, generated from `DEFINITIONS`."""
    lines = [
        "# 诉求统计口径 (Demand statistics: definitions)",
        "",
        "Generated from `lianqi/demands/statistics/figures.py` `DEFINITIONS` (the page, the API and",
        "the Excel export print the same text); `lianqi/demands/tests/test_stats.py` fails when this",
        "file differs. Regenerate with:",
        "",
        "```",
        '.venv/bin/python manage.py shell -c "from lianqi.demands.statistics import definitions_markdown;'
        " open('docs/statistics.md', 'w').write(definitions_markdown())\"",
        "```",
        "",
        "A rate whose denominator is 0 is shown as “—”, never as 0 %. Figures are judged at a",
        "moment `at` (now on the page): a demand closed later counts as open.",
        "",
        "| key | 名称 | 口径 |",
        "|---|---|---|",
    ]
    with translation.override("zh-hans"):
        for definition in DEFINITIONS.values():
            lines.append(f"| `{definition.key}` | {definition.name} | {definition.definition} |")
    lines.append("")
    return "\n".join(lines)
