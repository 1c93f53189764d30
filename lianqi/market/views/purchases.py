"""The purchases' pages: the list the user may see (by year, name, locality) with its totals and
local share, recording one purchase for an enterprise, and the office's Excel import, which
shows every bad row and saves nothing until the file is right."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import Role, has_role
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate

from .. import actions, queries
from ..forms import PurchaseEditForm, PurchaseForm, PurchaseImportForm
from ..models import Purchase
from ..permissions import PURCHASE_RECORDERS, READERS, access_enterprise, access_purchase


def _filters(request: HttpRequest) -> tuple[int | None, str, str]:
    """The list's year, words and locality as typed; a year out of range is no filter."""
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100 else None
    # A NUL byte cannot reach PostgreSQL in a text comparison; it is no part of a name.
    q = request.GET.get("q", "").replace("\x00", "")[:100]
    return year, q, request.GET.get("local", "")


class PurchaseExportView(RoleRequiredMixin, View):
    """The purchases as filtered on their list, one row per purchase, as an Excel file
    (recorded in the export log). A purchase names firms, not people: no phone to mask."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        year, q, local = _filters(request)
        found = queries.purchase_list(request.user, year=year, q=q, local=local)
        columns = [
            Column("buyer", _("采购企业")),
            Column("year", _("年度")),
            Column("supplier_name", _("供应商名称")),
            Column("supplier_credit_code", _("供应商统一社会信用代码")),
            Column("place", _("供应商所在地")),
            Column("is_local", _("本地采购")),
            Column("item", _("采购内容")),
            Column("amount", _("采购金额（元）")),
            Column("strategic", _("战略性新兴产业产品")),
            Column("affiliated", _("关联企业")),
            Column("source", _("来源")),
        ]
        yes, no = _("是"), _("否")
        rows = (
            [
                p.buyer.name,
                p.year,
                p.supplier_name,
                p.supplier_credit_code,
                p.get_place_display(),
                yes if p.is_local else no,
                p.item,
                p.amount,
                yes if p.strategic else no,
                yes if p.affiliated else no,
                p.get_source_display(),
            ]
            for p in found.select_related("buyer")
        )
        return export_xlsx(
            request, export="market.purchases", title=_("采购记录"), columns=columns, rows=rows
        )


class PurchaseListView(RoleRequiredMixin, View):
    """The purchases the user may see with the totals of what is listed."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        year, q, local = _filters(request)
        found = queries.purchase_list(request.user, year=year, q=q, local=local)
        context = paginate(request, found)
        actor = acting_user(request)
        buyers = {row.buyer for row in context["object_list"]}
        # Only the page's rows: a correction link that would answer 403 is not shown.
        context["editable"] = {b.pk for b in buyers if actions.may_record_for(actor, b)}
        own = getattr(request.user, "enterprise_id", None)
        context.update(
            totals=queries.purchase_totals(found),
            year=year or "",
            q=q,
            local=local,
            create_url=reverse("market:purchase_create", args=[own]) if own else None,
            may_import=has_role(request.user, (Role.SERVICE_OFFICE, Role.LIAISON)),
        )
        return render(request, "market/purchase_list.html", context)


class PurchaseCreateView(RoleRequiredMixin, View):
    """Record one purchase for an enterprise (its account, its liaison or the office)."""

    allowed_roles = PURCHASE_RECORDERS

    def _page(self, request: HttpRequest, enterprise: object, form: PurchaseForm) -> HttpResponse:
        context = {"enterprise": enterprise, "form": form, "title": _("登记采购记录")}
        return render(request, "market/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, access_enterprise(request.user, pk), PurchaseForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        form = PurchaseForm(request.POST)
        if form.is_valid():
            try:
                actions.record_purchase(buyer=enterprise, actor=acting_user(request), **form.cleaned_data)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已登记采购记录"))
                return redirect(reverse("market:purchases") + f"?q={enterprise.name}")
        return self._page(request, enterprise, form)


class PurchaseEditView(RoleRequiredMixin, View):
    """Correct a recorded purchase (its buyer's account, its liaison or the office): the
    buyer's yearly figures, the chain's local supporting rate and a subsidy not yet entered
    follow; a change made meanwhile by someone else is not overwritten."""

    allowed_roles = PURCHASE_RECORDERS

    def _page(self, request: HttpRequest, row: Purchase, form: PurchaseEditForm) -> HttpResponse:
        context = {"enterprise": row.buyer, "form": form, "title": _("修改采购记录")}
        return render(request, "market/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_purchase(request.user, pk)
        if not actions.may_record_for(acting_user(request), row.buyer):
            raise PermissionDenied
        initial = {
            name: getattr(row, name) for name in PurchaseEditForm.base_fields if name != "expected_version"
        }
        initial["expected_version"] = row.version
        return self._page(request, row, PurchaseEditForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_purchase(request.user, pk)
        form = PurchaseEditForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            version = values.pop("expected_version")
            try:
                actions.update_purchase(
                    purchase=row, actor=acting_user(request), expected_version=version, **values
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已保存采购记录"))
                return redirect(reverse("market:purchases") + f"?q={row.buyer.name}")
        return self._page(request, row, form)


class PurchaseImportView(RoleRequiredMixin, View):
    """Import purchases from an Excel file of invoices: every bad row is listed (row, column,
    what is wrong) and nothing is saved until the whole file is right."""

    allowed_roles = (Role.SERVICE_OFFICE, Role.LIAISON)

    def _page(self, request: HttpRequest, form: PurchaseImportForm, problems: list[object]) -> HttpResponse:
        context = {"form": form, "problems": problems, "columns": actions.IMPORT_COLUMNS}
        return render(request, "market/purchase_import.html", context, status=400 if problems else 200)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, PurchaseImportForm(), [])

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PurchaseImportForm(request.POST, request.FILES)
        problems: list[object] = []
        if form.is_valid():
            try:
                saved = actions.import_purchases(source=form.cleaned_data["file"], actor=acting_user(request))
            except actions.ImportRefused as refused:
                problems = list(refused.problems)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已导入 %(count)s 条采购记录") % {"count": saved})
                return redirect("market:purchases")
        return self._page(request, form, problems)
