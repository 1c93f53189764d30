"""The register's list (企业名录): search, filters, sorting and pages, and the filtered list as
an Excel file. Reads go through `queries`."""

from __future__ import annotations

import html
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate
from lianqi.core.views.pickers import PickerView

from .. import exporting, permissions
from ..choices import EnterpriseKind, EnterpriseStatus
from ..columns import ENTERPRISE_COLUMNS
from ..filters import EnterpriseFilter
from ..forms import jurisdictions_for, staff_for
from ..models import Enterprise
from ..queries import enterprise_list, tag_choices, tags_in_order

SORT_LABELS = {
    "name": gettext_lazy("名称 ↑"),
    "-name": gettext_lazy("名称 ↓"),
    "founded": gettext_lazy("成立日期 ↑"),
    "-founded": gettext_lazy("成立日期 ↓"),
    "capital": gettext_lazy("注册资本 ↑"),
    "-capital": gettext_lazy("注册资本 ↓"),
    "employees": gettext_lazy("从业人数 ↑"),
    "-employees": gettext_lazy("从业人数 ↓"),
    "updated": gettext_lazy("更新时间 ↑"),
    "-updated": gettext_lazy("更新时间 ↓"),
}

#: Query parameters of the list that are not filters.
_PAGING_PARAMS = ("page", "size")


def filtered_enterprises(request: HttpRequest) -> tuple[EnterpriseFilter, QuerySet[Enterprise], list[str]]:
    """The list's rows for the request's filters. A filter with a bad value is dropped with a
    message naming it, and the other filters still apply, so a mistyped link never empties the
    page or fails."""
    params: QueryDict = request.GET.copy()
    for name in _PAGING_PARAMS:
        params.pop(name, None)
    filterset, queryset = enterprise_list(request.user, params)
    problems: list[str] = []
    if not filterset.is_valid():
        for name, errors in filterset.errors.items():
            field = filterset.form.fields.get(name)
            label = field.label if field is not None else name
            problems.append(
                _("筛选条件“%(label)s”无效，已忽略：%(error)s") % {"label": label, "error": errors[0]}
            )
            params.pop(name, None)
        filterset, queryset = enterprise_list(request.user, params)
    return filterset, queryset, problems


def options_html(choices: Any, selected: str | None) -> str:
    """`<option>` tags for a filter select, built in one pass: a park's list of 500 liaisons
    rendered through the template language costs more than the query behind it."""
    # The standard library's escape (what Django's wraps, lazily): `format_html` per option
    # costs several times as much, and a liaison select has hundreds.
    return mark_safe(
        "".join(
            f'<option value="{html.escape(str(value))}"{" selected" if str(value) == selected else ""}>'
            f"{html.escape(str(label))}</option>"
            for value, label in choices
        )
    )


def chosen_only(rows: QuerySet[Any], selected: str | None) -> list[tuple[Any, str]]:
    """The one (pk, name) a picker-backed filter select renders: the chosen row if `rows`
    holds it, else nothing (the select then reads "全部")."""
    if not selected or not selected.isdigit():
        return []
    return list(rows.filter(pk=selected).values_list("pk", "name"))


class EnterpriseListView(RoleRequiredMixin, View):
    """The register: search, filters, sorting and pages. An htmx request gets only the table,
    so the filter form refreshes it in place; without JavaScript the form submits normally."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        _filterset, queryset, problems = filtered_enterprises(request)
        context = paginate(request, queryset)
        rows = list(context["object_list"])
        prefetch_related_objects(rows, Prefetch("tags", queryset=tags_in_order(request.user)))
        context.update(
            rows=rows,
            problems=problems,
            params=request.GET,
            export_query=context["query_string"],
            can_edit=permissions.can_edit(request.user),
        )
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.history_restore_request:
            response = render(request, "enterprises/list_table.html", context)
        else:
            get = request.GET.get
            jurisdictions = jurisdictions_for(request.user).values_list("code", "name")
            # Hundreds of liaisons: only the chosen one is an option, the picker searches the rest.
            staff = chosen_only(staff_for(request.user).select_related(None), get("liaison"))
            context.update(
                kind_options=options_html(EnterpriseKind.choices, get("kind")),
                status_options=options_html(EnterpriseStatus.choices, get("status")),
                tag_options=options_html(tag_choices(request.user), get("tag")),
                jurisdiction_options=options_html(jurisdictions, get("jurisdiction")),
                liaison_options=options_html(staff, get("liaison")),
                sort_options=options_html(SORT_LABELS.items(), get("sort")),
            )
            response = render(request, "enterprises/list.html", context)
        patch_vary_headers(response, ["HX-Request"])
        return response


class EnterpriseExportView(RoleRequiredMixin, View):
    """The filtered list as an .xlsx file in the import columns."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        _filterset, queryset, _problems = filtered_enterprises(request)
        return export_xlsx(
            request,
            export="enterprises.register",
            title=_("企业名录"),
            columns=ENTERPRISE_COLUMNS,
            rows=exporting.export_rows(queryset, request.user),
            masked=exporting.masked_columns(request.user),
        )


class EnterprisePickerView(PickerView):
    """The searchable enterprise pickers' answer: the register's enterprises by name or
    unified credit code (no contact, no phone)."""

    search_fields = ("name", "credit_code")

    def rows(self, request: HttpRequest) -> QuerySet[Enterprise]:
        return permissions.visible(request.user).only("pk", "name", "credit_code")

    def label(self, obj: Any) -> str:
        return f"{obj.name}（{obj.credit_code}）"
