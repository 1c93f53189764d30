"""The finance figures of one year for a manager's scope, read from the day cells
(`cells.py`): the headline in the seed's form (机构 / 企业 / 产品 / 授信 / 放款), the tables by
institution, product kind, industry section, enterprise kind and month, applications by
state, the median working days of each step, the approval rate, and the share of the
financing-difficulty demands closed by a loan. Every figure has its definition on the page."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Exists, F, OuterRef, Sum
from django.db.models.functions import ExtractMonth

from lianqi.core.scoping import scope_queryset
from lianqi.demands.choices import DemandState
from lianqi.demands.models import Demand
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Industry

from .. import cells
from ..choices import (
    FINANCING_CATEGORY,
    OPEN_STATES,
    ApplicationState,
    FigureDimension,
    FigureStep,
    ProductKind,
    ProductState,
)
from ..models import FigureCell, FigureStaleDay, Institution, Tranche
from ..permissions import visible_institutions, visible_products

D = FigureDimension
#: The dimensions shown as tables, in the page's order.
TABLES = (D.INSTITUTION, D.PRODUCT_KIND, D.INDUSTRY, D.ENTERPRISE_KIND)
SUMS = ("applications", "granted", "declined", "granted_fen", "disbursed_fen", "tranches", "served")


@dataclass
class FigureRow:
    """One line of a figures table: what it is (`key`, shown as `name`) and its sums."""

    key: str
    name: str
    applications: int = 0
    granted: int = 0
    declined: int = 0
    granted_fen: int = 0
    disbursed_fen: int = 0
    tranches: int = 0
    served: int = 0

    @property
    def approval_rate(self) -> Decimal | None:
        """Of the applications decided in the period, the share granted, in per cent to one
        decimal; None when nothing was decided."""
        decided = self.granted + self.declined
        return round(Decimal(100 * self.granted) / decided, 1) if decided else None


@dataclass
class StepTime:
    """How long one step took in working days over the period: the median, and how many."""

    step: str
    label: str
    median: Decimal | None
    count: int


@dataclass
class YearFigures:
    """Everything the figures page shows for one year."""

    year: int
    total: FigureRow
    tables: dict[str, list[FigureRow]]
    months: list[FigureRow]
    states: list[tuple[str, int]]
    steps: list[StepTime]
    institutions: int
    products: int
    financing_demands: int
    financing_closed_by_loan: int
    open_applications: int = field(default=0)

    @property
    def financing_share(self) -> Decimal | None:
        """Of the financing-difficulty demands closed in the year, the share closed by a loan,
        in per cent to one decimal; None when none was closed."""
        if not self.financing_demands:
            return None
        return round(Decimal(100 * self.financing_closed_by_loan) / self.financing_demands, 1)


def year_figures(user: Any, year: int) -> YearFigures:
    """The figures of `year` for everything under the user's jurisdiction. Refreshes the stale
    cells of that scope first, so what is shown is what is stored now."""
    cells.refresh(marks=scope_queryset(FigureStaleDay.objects.all(), user))
    in_year = scope_queryset(
        FigureCell.objects.filter(day__gte=dt.date(year, 1, 1), day__lte=dt.date(year, 12, 31)), user
    ).order_by()
    sums = {name: Sum(name) for name in SUMS}
    grouped = cast(list[dict[str, Any]], list(in_year.values("dimension", "key").annotate(**sums)))
    by_dimension: dict[str, dict[str, dict[str, Any]]] = {}
    for row in grouped:
        by_dimension.setdefault(row["dimension"], {})[row["key"]] = row
    names = _namers()
    tables: dict[str, list[FigureRow]] = {
        str(dimension): sorted(
            (
                _row(key, names[dimension](key), counts)
                for key, counts in by_dimension.get(dimension, {}).items()
            ),
            key=lambda r: (-r.disbursed_fen, -r.applications, r.name),
        )
        for dimension in TABLES
    }
    total = _row("", "", by_dimension.get(D.TOTAL, {}).get("", {}))
    month_rows: dict[int, dict[str, Any]] = {
        row["month"]: dict(row)
        for row in in_year.filter(dimension=D.TOTAL)
        .annotate(month=ExtractMonth("day"))
        .values("month")
        .annotate(**sums)
    }
    months = [_row(str(m), f"{m}", month_rows.get(m, {})) for m in range(1, 13)]
    states = by_dimension.get(D.STATE, {})
    state_rows = [
        (str(label), states[value]["applications"])
        for value, label in ApplicationState.choices
        if value in states
    ]
    demands, by_loan = financing_demands(user, year)
    return YearFigures(
        year=year,
        total=total,
        tables=tables,
        months=months,
        states=state_rows,
        steps=_step_times(by_dimension.get(D.STEP_DAYS, {})),
        institutions=visible_institutions(user).count(),
        products=visible_products(user).filter(state=ProductState.PUBLISHED).count(),
        financing_demands=demands,
        financing_closed_by_loan=by_loan,
        open_applications=sum(states[s]["applications"] for s in OPEN_STATES if s in states),
    )


def _row(key: str, name: str, counts: dict[str, Any]) -> FigureRow:
    return FigureRow(key, name, **{name: counts.get(name) or 0 for name in SUMS})


def _namers() -> dict[str, Callable[[str], str]]:
    """How each dimension's keys read on the page."""
    institutions: dict[str, str] | None = None
    sections: dict[str, str] | None = None

    def institution(key: str) -> str:
        nonlocal institutions
        if institutions is None:
            institutions = {str(pk): name for pk, name in Institution.objects.values_list("pk", "name")}
        return institutions.get(key, key)

    def section(key: str) -> str:
        nonlocal sections
        if sections is None:
            sections = dict(Industry.objects.filter(code=F("section")).values_list("section", "name"))
        return f"{key} {sections[key]}" if key in sections else key

    return {
        D.INSTITUTION: institution,
        D.PRODUCT_KIND: _label(ProductKind.choices),
        D.INDUSTRY: section,
        D.ENTERPRISE_KIND: _label(EnterpriseKind.choices),
    }


def _label(choices: Iterable[tuple[str, Any]]) -> Callable[[str], str]:
    labels = dict(choices)
    return lambda key: str(labels.get(key, key))


def median_of(histogram: Counter[int]) -> Decimal | None:
    """The median of values counted in `histogram` (value → how many), the mean of the two
    middle ones when their number is even; None for no values."""
    n = sum(histogram.values())
    if not n:
        return None
    wanted = {(n - 1) // 2, n // 2}
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        found += [value for index in sorted(wanted) if seen <= index < seen + count]
        seen += count
    return Decimal(sum(found)) / len(found)


def _step_times(cells_by_key: dict[str, dict[str, int]]) -> list[StepTime]:
    histograms: dict[str, Counter[int]] = {step: Counter() for step in FigureStep.values}
    for key, counts in cells_by_key.items():
        step, _sep, days = key.partition(":")
        if step in histograms and days.isdigit():
            histograms[step][int(days)] += counts["applications"]
    return [
        StepTime(step, str(label), median_of(histograms[step]), sum(histograms[step].values()))
        for step, label in FigureStep.choices
    ]


def financing_demands(user: Any, year: int) -> tuple[int, int]:
    """Of the financing-difficulty (融资困难) demands under the user's jurisdiction closed in
    `year`: how many, and how many were closed by a loan — the enterprise received a loan
    (any tranche) between the day the demand was received and the day it was closed."""
    closed = scope_queryset(
        Demand.objects.filter(
            category__name=FINANCING_CATEGORY,
            state=DemandState.CLOSED,
            closed_at__year=year,
        ),
        user,
    )
    loan = Tranche.objects.filter(
        application__enterprise_id=OuterRef("enterprise_id"),
        disbursed_on__gte=OuterRef("received_at__date"),
        disbursed_on__lte=OuterRef("closed_at__date"),
    )
    return closed.count(), closed.filter(Exists(loan)).count()
