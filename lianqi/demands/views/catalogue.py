"""The demand category catalogue (诉求类别) and, per category, the user's jurisdiction's
routing: which department leads by default and how fast. The service office maintains both."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import OFFICE_ROLES, Role, has_role
from lianqi.core.views import RoleRequiredMixin, export_xlsx
from lianqi.org.models import Jurisdiction

from .. import actions, queries
from ..forms.catalogue import CategoryForm, RoutingForm
from ..models import Category, CategoryRouting
from ..permissions import access_category


class CatalogueView(RoleRequiredMixin, View):
    """The catalogue's pages are the service office's (and the administrator's)."""

    allowed_roles: tuple[str, ...] = tuple(OFFICE_ROLES)


class CategoryListView(CatalogueView):
    """Every category with its default deadline and whether it is offered, and this
    jurisdiction's default lead department and deadline for it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "rows": queries.catalogue_rows(request.user),
            "can_edit_catalogue": has_role(request.user, (Role.ADMIN,)),
            "jurisdiction": getattr(request.user, "jurisdiction", None),
        }
        return render(request, "demands/catalogue_list.html", context)


class CategoryExportView(CatalogueView):
    """The catalogue with this jurisdiction's routing as an Excel file."""

    def get(self, request: HttpRequest) -> HttpResponse:
        columns = (
            Column("name", _("名称")),
            Column("deadline_workdays", _("默认答复时限（工作日）")),
            Column("order", _("排序")),
            Column("is_active", _("启用")),
            Column("department", _("默认牵头部门")),
            Column("routing_deadline", _("本辖区答复时限（工作日）")),
        )
        yes, no = _("是"), _("否")
        rows = (
            (
                c.name,
                c.deadline_workdays,
                c.order,
                yes if c.is_active else no,
                r.department.name if r else "",
                r.deadline_workdays if r and r.deadline_workdays else "",
            )
            for c, r in queries.catalogue_rows(request.user)
        )
        return export_xlsx(
            request, export="demands.categories", title=_("诉求类别"), columns=columns, rows=rows
        )


class CategoryCreateView(CatalogueView):
    """Add a category to the shared catalogue (administrators: it is every park's)."""

    allowed_roles = (Role.ADMIN,)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "demands/catalogue_form.html", {"form": CategoryForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                category = actions.create_category(actor=acting_user(request), **form.cleaned_data)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("已添加诉求类别：%(name)s") % {"name": category.name})
                return redirect("demands:categories")
        return render(request, "demands/catalogue_form.html", {"form": form})


class CategoryUpdateView(CatalogueView):
    """Rename a category, change its default deadline or order, switch it on or off
    (administrators: the catalogue is every park's)."""

    allowed_roles = (Role.ADMIN,)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        category = access_category(request.user, pk)
        form = CategoryForm(
            initial={
                "name": category.name,
                "deadline_workdays": category.deadline_workdays,
                "order": category.order,
                "is_active": category.is_active,
            }
        )
        return render(request, "demands/catalogue_form.html", {"form": form, "category": category})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        category = access_category(request.user, pk)
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                actions.update_category(category=category, actor=acting_user(request), **form.cleaned_data)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("诉求类别已保存"))
                return redirect("demands:categories")
        return render(request, "demands/catalogue_form.html", {"form": form, "category": category})


class RoutingUpdateView(CatalogueView):
    """Set the user's jurisdiction's default lead department and deadline for a category."""

    def _load(self, request: HttpRequest, pk: int) -> tuple[Category, Jurisdiction, CategoryRouting | None]:
        category = access_category(request.user, pk)
        jurisdiction = getattr(request.user, "jurisdiction", None)
        if jurisdiction is None:
            # An account above every jurisdiction has no routing of its own to set.
            raise Http404
        routing = queries.routing_of(category, jurisdiction)
        return category, jurisdiction, routing

    def _render(
        self, request: HttpRequest, form: RoutingForm, category: Category, jurisdiction: Any
    ) -> HttpResponse:
        context = {"form": form, "category": category, "jurisdiction": jurisdiction}
        return render(request, "demands/catalogue_routing.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        category, jurisdiction, routing = self._load(request, pk)
        initial = (
            {"department": routing.department_id, "deadline_workdays": routing.deadline_workdays}
            if routing
            else {}
        )
        form = RoutingForm(initial=initial, jurisdiction=jurisdiction)
        return self._render(request, form, category, jurisdiction)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        category, jurisdiction, _routing = self._load(request, pk)
        form = RoutingForm(request.POST, jurisdiction=jurisdiction)
        if form.is_valid():
            try:
                actions.set_routing(
                    category=category,
                    jurisdiction=jurisdiction,
                    department=form.cleaned_data["department"],
                    deadline_workdays=form.cleaned_data["deadline_workdays"],
                    actor=acting_user(request),
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("“%(name)s”的分办规则已保存") % {"name": category.name})
                return redirect("demands:categories")
        return self._render(request, form, category, jurisdiction)
