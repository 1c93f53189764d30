"""The office's overview of the finance supermarket (applications, approvals, credit granted
and loans disbursed, by institution and by product, with how many of the jurisdiction's
enterprises qualify for each product), and the supermarket's section of the enterprise's file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.excel import Column
from lianqi.core.views import RoleRequiredMixin, export_xlsx
from lianqi.enterprises.permissions import visible as visible_enterprises

from .. import matching, queries
from ..choices import ProductState
from ..permissions import MANAGERS, access_enterprise, visible, visible_products


class OverviewView(RoleRequiredMixin, View):
    """The figures of every application of the user's jurisdiction."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        applications = visible(request.user)
        by = request.GET.get("export")
        if by in ("institution", "product"):
            return _export(request, queries.figures_by(applications, by=by), by)
        context = {
            "totals": queries.figures(applications),
            "overdue": queries.overdue(applications, at=timezone.now()).count(),
            "institutions": queries.my_institutions(request.user).count(),
            "products": visible_products(request.user).filter(state=ProductState.PUBLISHED).count(),
            "by_institution": queries.figures_by(applications, by="institution"),
            "by_product": queries.figures_by(applications, by="product"),
        }
        return render(request, "finance/overview.html", context)


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


def _export(request: HttpRequest, rows: list[dict[str, Any]], by: str) -> HttpResponse:
    """The overview's table by institution or by product as an Excel file, amounts in yuan to
    the fen."""
    columns = [
        Column("name", _("金融机构") if by == "institution" else _("金融产品")),
        Column("applications", _("申请")),
        Column("granted", _("通过")),
        Column("declined", _("未通过")),
        Column("approval_rate", _("通过率（%）")),
        Column("granted_yuan", _("授信金额（元）")),
        Column("disbursed_yuan", _("放款金额（元）")),
    ]
    values = (
        [
            r["name"],
            r["applications"],
            r["granted"],
            r["declined"],
            r["approval_rate"],
            _yuan(r["granted_fen"]),
            _yuan(r["disbursed_fen"]),
        ]
        for r in rows
    )
    title = _("融资情况按机构") if by == "institution" else _("融资情况按产品")
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
