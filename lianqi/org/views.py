"""Organisation pages: the jurisdiction tree, departments and staff. Every staff role reads its
own subtree; only the administrator changes anything."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.forms import add_action_errors
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate, search_query, url_if_allowed
from lianqi.core.views.pickers import PickerView

from . import actions, queries
from .forms import DepartmentForm, JurisdictionCreateForm, StaffFilterForm, StaffForm
from .models import Department, Staff
from .permissions import (
    READ_ROLES,
    WRITE_ROLES,
    access_department,
    access_jurisdiction,
    access_staff,
    can_edit,
    departments_visible,
    staff_phone,
    staff_phones,
)
from .permissions import visible as staff_visible


class OrgView(RoleRequiredMixin, View):
    allowed_roles = READ_ROLES
    section = ""

    def render(
        self, request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        context.setdefault("org_section", self.section)
        context.setdefault("can_edit", can_edit(request.user))
        return render(request, f"org/{template}", context, status=status)


# --- Jurisdictions ----------------------------------------------------------------------------


class JurisdictionTreeView(OrgView):
    section = "jurisdictions"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(
            request, "jurisdiction_tree.html", {"nodes": queries.jurisdiction_tree(request.user)}
        )


class JurisdictionCreateView(OrgView):
    """Add a child below a jurisdiction of the administrator's subtree."""

    allowed_roles = WRITE_ROLES
    section = "jurisdictions"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        parent = access_jurisdiction(request.user, pk)
        form = JurisdictionCreateForm(parent=parent)
        return self.render(request, "jurisdiction_form.html", {"form": form, "parent": parent})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        parent = access_jurisdiction(request.user, pk)
        form = JurisdictionCreateForm(request.POST, parent=parent)
        if form.is_valid():
            try:
                child = actions.create_jurisdiction(
                    actor=acting_user(request), parent=parent, **form.cleaned_data
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("已添加辖区：%(name)s") % {"name": child.name})
                return redirect("org:jurisdictions")
        return self.render(request, "jurisdiction_form.html", {"form": form, "parent": parent})


# --- Departments ------------------------------------------------------------------------------


class DepartmentListView(OrgView):
    section = "departments"

    def get(self, request: HttpRequest) -> HttpResponse:
        query = search_query(request)
        context = paginate(request, queries.department_list(request.user, query=query))
        context["q"] = query
        context["query_string"] = request.GET.urlencode()
        return self.render(request, "department_list.html", context)


class DepartmentExportView(OrgView):
    """The searched department list as an Excel file."""

    section = "departments"

    def get(self, request: HttpRequest) -> HttpResponse:
        columns = (
            Column("name", _("部门名称")),
            Column("short_name", _("简称")),
            Column("jurisdiction", _("所属辖区")),
            Column("industry_prefixes", _("对口行业")),
            Column("staff_count", _("在岗干部")),
            Column("is_active", _("启用")),
        )
        yes, no = _("是"), _("否")
        rows = (
            (
                d.name,
                d.short_name,
                d.jurisdiction.name,
                d.industry_prefixes,
                d.staff_count,  # type: ignore[attr-defined]
                yes if d.is_active else no,
            )
            for d in queries.department_list(request.user, query=search_query(request))
        )
        return export_xlsx(request, export="org.departments", title=_("部门"), columns=columns, rows=rows)


class DepartmentCreateView(OrgView):
    allowed_roles = WRITE_ROLES
    section = "departments"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = DepartmentForm(
            user=request.user, initial={"jurisdiction": getattr(request.user, "jurisdiction_id", None)}
        )
        return self.render(request, "department_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DepartmentForm(request.POST, user=request.user)
        if form.is_valid():
            values = dict(form.cleaned_data)
            jurisdiction = values.pop("jurisdiction")
            try:
                department = actions.create_department(
                    actor=acting_user(request), jurisdiction=jurisdiction, values=values
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("已添加部门：%(name)s") % {"name": department.name})
                return redirect("org:departments")
        return self.render(request, "department_form.html", {"form": form})


class DepartmentUpdateView(OrgView):
    allowed_roles = WRITE_ROLES
    section = "departments"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        department = access_department(request.user, pk)
        form = DepartmentForm(user=request.user, instance=department)
        return self.render(request, "department_form.html", {"form": form, "department": department})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        department = access_department(request.user, pk)
        form = DepartmentForm(request.POST, user=request.user, instance=department)
        if form.is_valid():
            try:
                actions.update_department(
                    department=department, actor=acting_user(request), values=form.cleaned_data
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("部门已保存"))
                return redirect("org:departments")
        return self.render(request, "department_form.html", {"form": form, "department": department})


# --- Staff ------------------------------------------------------------------------------------


def staff_columns() -> tuple[Column, ...]:
    """The staff export's headers, built per request so they follow the user's language."""
    return (
        Column("name", _("姓名")),
        Column("jurisdiction", _("所属辖区")),
        Column("department", _("部门")),
        Column("position", _("职务")),
        Column("tier", _("层级")),
        Column("phone", _("手机号")),
        Column("is_active", _("在岗")),
        Column("enterprise_count", _("联系企业数")),
    )


class StaffListView(OrgView):
    section = "staff"

    def get(self, request: HttpRequest) -> HttpResponse:
        filter_form = StaffFilterForm(request.GET or None, user=request.user)
        queryset = queries.staff_list(request.user, **filter_form.filters())
        context = paginate(request, queryset)
        context["filter_form"] = filter_form
        phones = staff_phones(request.user)
        for staff in context["object_list"]:
            staff.phone_display = staff_phone(request.user, staff, phones)
        return self.render(request, "staff_list.html", context)


class StaffExportView(OrgView):
    """The filtered staff list as an Excel file, the form offices exchange. Phones follow the
    one rule of `core.privacy`: masked (and the column marked so) for all but the roles that
    see every cadre's number, each cadre still seeing their own."""

    section = "staff"

    def get(self, request: HttpRequest) -> HttpResponse:
        filter_form = StaffFilterForm(request.GET or None, user=request.user)
        queryset = queries.staff_list(request.user, **filter_form.filters())
        phones = staff_phones(request.user)
        yes, no = _("是"), _("否")
        rows = (
            (
                s.name,
                s.jurisdiction.name,
                s.department.name if s.department else "",
                s.position,
                s.get_tier_display(),
                staff_phone(request.user, s, phones),
                yes if s.is_active else no,
                s.enterprise_count,  # type: ignore[attr-defined]
            )
            for s in queryset.iterator(chunk_size=1000)
        )
        return export_xlsx(
            request,
            export="org.staff",
            title=_("干部名册"),
            columns=staff_columns(),
            rows=rows,
            masked={"phone"} if phones.masks_column else (),
        )


class StaffDetailView(OrgView):
    section = "staff"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        staff = access_staff(request.user, pk)
        context = {
            "staff": staff,
            "phone": staff_phone(request.user, staff),
            "enterprise_count": queries.staff_enterprise_count(staff),
            "handover_url": url_if_allowed(request.user, "liaisons:handover", staff.pk),
        }
        return self.render(request, "staff_detail.html", context)


class StaffCreateView(OrgView):
    allowed_roles = WRITE_ROLES
    section = "staff"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = StaffForm(
            user=request.user, initial={"jurisdiction": getattr(request.user, "jurisdiction_id", None)}
        )
        return self.render(request, "staff_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StaffForm(request.POST, user=request.user)
        if form.is_valid():
            values = dict(form.cleaned_data)
            jurisdiction = values.pop("jurisdiction")
            try:
                staff = actions.create_staff(
                    actor=acting_user(request), jurisdiction=jurisdiction, values=values
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("已添加干部：%(name)s") % {"name": staff.name})
                return redirect("org:staff_detail", pk=staff.pk)
        return self.render(request, "staff_form.html", {"form": form})


class StaffUpdateView(OrgView):
    allowed_roles = WRITE_ROLES
    section = "staff"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        staff = access_staff(request.user, pk)
        form = StaffForm(user=request.user, instance=staff)
        return self.render(request, "staff_form.html", {"form": form, "staff": staff})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        staff = access_staff(request.user, pk)
        form = StaffForm(request.POST, user=request.user, instance=staff)
        if form.is_valid():
            try:
                actions.update_staff(staff=staff, actor=acting_user(request), values=form.cleaned_data)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("干部信息已保存"))
                return redirect("org:staff_detail", pk=staff.pk)
        return self.render(request, "staff_form.html", {"form": form, "staff": staff})


# --- Pickers: the searchable selects' answers, scoped like the pages ------------------------


class StaffPickerView(PickerView):
    """Active staff of the user's subtree by name; `?unbound=1` keeps those without a login
    (the only ones an account can be bound to). Phones are never part of the answer."""

    def rows(self, request: HttpRequest) -> QuerySet[Staff]:
        rows = staff_visible(request.user).filter(is_active=True).select_related("jurisdiction", "department")
        if request.GET.get("unbound"):
            rows = rows.filter(user__isnull=True)
        return rows

    def label(self, obj: Any) -> str:
        return queries.staff_picker_label(obj)


class DepartmentPickerView(PickerView):
    """Active departments of the user's subtree, by name or short name."""

    search_fields = ("name", "short_name")
    ordering = ("order", "name", "pk")

    def rows(self, request: HttpRequest) -> QuerySet[Department]:
        return departments_visible(request.user).filter(is_active=True).select_related("jurisdiction")

    def label(self, obj: Any) -> str:
        return f"{obj.name}（{obj.jurisdiction.name}）"
