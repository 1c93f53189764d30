"""The office's overview of the finance supermarket (applications, approvals, credit granted
and loans disbursed, by institution and by product, with how many of the jurisdiction's
enterprises qualify for each product), and the supermarket's section of the enterprise's file."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from lianqi.core.excel import Column
from lianqi.core.views import RoleRequiredMixin, export_xlsx
from lianqi.enterprises.permissions import visible as visible_enterprises

from .. import matching, queries
from ..choices import FigureDimension, ProductState
from ..permissions import MANAGERS, access_enterprise, visible, visible_products


class OverviewView(RoleRequiredMixin, View):
    """The year's figures of every application under the user's jurisdiction, read from the
    day cells: the headline (机构 / 企业 / 产品 / 授信 / 放款), tables by institution, product
    kind, industry, enterprise kind and month, the applications by state, the median working
    days of each step and the share of financing-difficulty demands closed by a loan, each
    with its definition; every table as an Excel file."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        this_year = timezone.localdate().year
        year = _year(request.GET.get("year"), this_year)
        figures = queries.year_figures(request.user, year)
        by = request.GET.get("export", "")
        if by in (*TABLE_TITLES, "month"):
            return _export(request, figures, by)
        context = {
            "figures": figures,
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "overdue": queries.overdue(visible(request.user), at=timezone.now()).count(),
            "tables": [(key, TABLE_TITLES[key], figures.tables[key]) for key in TABLE_TITLES],
        }
        return render(request, "finance/overview.html", context)


#: The overview's tables by dimension, with the heading of their first column.
TABLE_TITLES = {
    FigureDimension.INSTITUTION.value: _lazy("金融机构"),
    FigureDimension.PRODUCT_KIND.value: _lazy("产品类型"),
    FigureDimension.INDUSTRY.value: _lazy("行业门类"),
    FigureDimension.ENTERPRISE_KIND.value: _lazy("企业类型"),
}


def _year(typed: str | None, this_year: int) -> int:
    """The year asked for, or this year when none (or nonsense) is asked for."""
    try:
        year = int(typed or this_year)
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


class ReachView(RoleRequiredMixin, View):
    """Per published product, how many of the jurisdiction's enterprises qualify for it and how
    many may once their data is in: the whole jurisdiction matched in one pass of the engine.
    A page of its own, since matching every enterprise costs more than the overview's sums."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        products = list(visible_products(request.user).filter(state=ProductState.PUBLISHED))
        counts = matching.reach(products, visible_enterprises(request.user), day=timezone.localdate())
        rows = [
            {"product": product, **counts[product.pk]}
            for product in sorted(products, key=lambda p: (-counts[p.pk]["eligible"], p.name))
        ]
        return render(request, "finance/reach.html", {"rows": rows})


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def _export(request: HttpRequest, figures: queries.YearFigures, by: str) -> HttpResponse:
    """One of the overview's tables as an Excel file, amounts in yuan to the fen."""
    first = _("月份") if by == "month" else str(TABLE_TITLES[by])
    columns = [
        Column("name", first),
        Column("applications", _("申请")),
        Column("granted", _("通过")),
        Column("declined", _("未通过")),
        Column("approval_rate", _("通过率（%）")),
        Column("granted_yuan", _("授信金额（元）")),
        Column("disbursed_yuan", _("放款金额（元）")),
    ]
    rows = figures.months if by == "month" else figures.tables[by]
    values = (
        [
            r.name,
            r.applications,
            r.granted,
            r.declined,
            r.approval_rate,
            _yuan(r.granted_fen),
            _yuan(r.disbursed_fen),
        ]
        for r in rows
    )
    title = _("%(year)s年融资情况按%(by)s") % {"year": figures.year, "by": first}
    return export_xlsx(request, export=f"finance.{by}", title=title, columns=columns, rows=values)


class EnterpriseSectionView(RoleRequiredMixin, View):
    """The supermarket's section of the enterprise's file (一企一档): its applications the user
    may see, an HTML fragment the file page loads by itself."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        rows = queries.for_enterprise(request.user, enterprise)
        context = {"enterprise": enterprise, "rows": rows[:20], "totals": queries.figures(rows)}
        return render(request, "finance/enterprise_section.html", context)
