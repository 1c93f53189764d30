"""The statistics page (诉求统计) and its Excel export: the headline figures with each
definition printed beside it, one table by department, liaison, category or month, and the
monthly trend. A whole jurisdiction's figures are added up from the stored day cells
(`stats.statistics_from_cells`, refreshed first for the scope); one department's or one
category's are counted from the demands (`stats.compute_statistics`). The filters are read by
`StatisticsForm`, which the API uses too, so the page, the file and the API agree."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lianqi.core import workdays
from lianqi.core.roles import OFFICE_ROLES, Role, has_role
from lianqi.core.scoping import scope_paths, scope_queryset
from lianqi.core.views import RoleRequiredMixin, xlsx_download
from lianqi.enterprises.views import options_html
from lianqi.org.choices import JurisdictionLevel
from lianqi.org.models import Department, Jurisdiction

from . import actions_statistics, permissions, stats
from .models import Category, Demand, StatisticsCell, StatisticsStaleDay

#: Who may open the statistics: leaders, the office, and a department handler (who sees only
#: the figures of its own department).
STATS_ROLES: tuple[str, ...] = (Role.LEADER, *OFFICE_ROLES, Role.DEPARTMENT_HANDLER)
#: The broadest span one request may ask for: the day tables grow with it.
MAX_SPAN_DAYS = 5 * 366
#: Levels above a park: their users may narrow the figures to one jurisdiction below them.
ABOVE_PARK = (JurisdictionLevel.PROVINCE, JurisdictionLevel.CITY, JurisdictionLevel.COUNTY)
DEFAULT_GROUP = "department"


def sees_all_departments(user: Any) -> bool:
    """Leaders, the office and admins see every department; a handler only its own."""
    return has_role(user, (Role.LEADER, *OFFICE_ROLES))


def may_choose_jurisdiction(user: Any) -> bool:
    jurisdiction = getattr(user, "jurisdiction", None)
    return bool(getattr(user, "is_superuser", False)) or (
        jurisdiction is not None and jurisdiction.level in ABOVE_PARK
    )


class StatisticsForm(forms.Form):
    """The filters: a year or a span of days received, a jurisdiction (for users above a
    park), a department (not for a handler: always its own), a category, and the grouping."""

    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100, required=False)
    date_from = forms.DateField(label=gettext_lazy("受理日期自"), required=False)
    date_to = forms.DateField(label=gettext_lazy("受理日期至"), required=False)
    jurisdiction = forms.CharField(label=gettext_lazy("辖区代码"), max_length=30, required=False)
    department = forms.IntegerField(
        label=gettext_lazy("牵头部门"), min_value=1, max_value=2**63 - 1, required=False
    )
    category = forms.IntegerField(
        label=gettext_lazy("诉求类别"), min_value=1, max_value=2**63 - 1, required=False
    )
    group_by = forms.ChoiceField(
        label=gettext_lazy("分组"), choices=[(g, g) for g in stats.GROUPS], required=False
    )

    def __init__(self, data: Any, *, user: Any, at: dt.datetime) -> None:
        super().__init__(data)
        self.user = user
        self.at = at

    def clean_jurisdiction(self) -> Jurisdiction | None:
        code = (self.cleaned_data.get("jurisdiction") or "").strip()
        if not code:
            return None
        if not may_choose_jurisdiction(self.user):
            raise forms.ValidationError(_("只有园区以上层级的用户可以按辖区筛选"))
        found = scope_queryset(Jurisdiction.objects.filter(code=code), self.user, field="path").first()
        if found is None:
            raise forms.ValidationError(_("没有这个辖区，或不在您的管辖范围内"))
        return found

    def clean_department(self) -> Department | None:
        pk = self.cleaned_data.get("department")
        if pk is None:
            return None
        if not sees_all_departments(self.user):
            raise forms.ValidationError(_("部门经办人只能查看本部门的统计"))
        found = scope_queryset(Department.objects.filter(pk=pk), self.user).first()
        if found is None:
            raise forms.ValidationError(_("没有这个部门，或不在您的管辖范围内"))
        return found

    def clean_category(self) -> Category | None:
        pk = self.cleaned_data.get("category")
        if pk is None:
            return None
        found = Category.objects.filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError(_("没有这个诉求类别"))
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year") or workdays.shanghai_date(self.at).year
        first = data.get("date_from") or dt.date(year, 1, 1)
        last = data.get("date_to") or dt.date(year, 12, 31)
        if first > last:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        elif (last - first).days > MAX_SPAN_DAYS:
            self.add_error("date_to", _("统计区间不能超过五年"))
        data["period"] = stats.Period(first, last)
        return data


@dataclass
class Scope:
    """What one request asks for, already limited to what the user may see."""

    demands: QuerySet[Demand]
    period: stats.Period
    group_by: str
    department_id: int | None
    note: str = ""
    #: When the figures are a whole jurisdiction's, the stored day cells that count them and
    #: the marks of those days still to refresh; None when they must be counted from the
    #: demands (one department's or one category's figures).
    cells: QuerySet[StatisticsCell] | None = None
    stale: QuerySet[StatisticsStaleDay] | None = None


def statistics_scope(user: Any, data: dict[str, Any], *, default_group: str | None = DEFAULT_GROUP) -> Scope:
    """The demands the figures count for a valid form's `data`: scoped by
    `permissions.visible`, filtered to the period and the filters; for a department handler,
    always its own department's."""
    period: stats.Period = data["period"]
    department = data.get("department")
    note = ""
    department_id = department.pk if department is not None else None
    if not sees_all_departments(user):
        staff = getattr(user, "staff", None)
        department_id = getattr(staff, "department_id", None)
        if department_id is None:
            note = _("您的账号未关联部门，暂无可统计的诉求")
    jurisdiction = data.get("jurisdiction")
    category = data.get("category")
    demands = stats.filter_demands(
        permissions.visible(user),
        period=period,
        jurisdiction_code=jurisdiction.code if jurisdiction is not None else None,
        department_id=department_id,
        category_id=category.pk if category is not None else None,
    )
    if note:
        demands = demands.none()
    scope = Scope(
        demands=demands,
        period=period,
        group_by=data.get("group_by") or default_group or "",
        department_id=department_id,
        note=note,
    )
    if department_id is None and category is None and not note:
        # The same rows `permissions.visible` gives these users: their jurisdictions' subtrees.
        code = jurisdiction.code if jurisdiction is not None else None
        scope.cells = stats.filter_by_day(
            scope_queryset(StatisticsCell.objects.all(), user), period=period, jurisdiction_code=code
        )
        scope.stale = stats.filter_by_day(
            scope_queryset(StatisticsStaleDay.objects.all(), user), period=period, jurisdiction_code=code
        )
    return scope


def read_request(request: HttpRequest, at: dt.datetime) -> tuple[StatisticsForm, Scope, list[str]]:
    """The page's filters: a filter with a bad value is dropped with a message naming it and
    the others still apply, so a mangled link never fails."""
    params: QueryDict = request.GET.copy()
    if "tab" in params and "group_by" not in params:
        params["group_by"] = params.get("tab", "")
    params.pop("tab", None)
    form = StatisticsForm(params, user=request.user, at=at)
    problems: list[str] = []
    if not form.is_valid():
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            label = field.label if field is not None else name
            problems.append(
                _("筛选条件“%(label)s”无效，已忽略：%(error)s") % {"label": label, "error": errors[0]}
            )
            params.pop(name, None)
        if "date_to" in form.errors:
            params.pop("date_from", None)
        form = StatisticsForm(params, user=request.user, at=at)
        form.is_valid()
    return form, statistics_scope(request.user, form.cleaned_data), problems


def compute(scope: Scope, at: dt.datetime) -> stats.Statistics:
    """The figures of `scope` now: from the day cells, refreshed first, for a whole
    jurisdiction; counted from the demands for one department or category."""
    group_by = scope.group_by or None
    if scope.cells is not None and scope.stale is not None:
        actions_statistics.refresh_statistics(marks=scope.stale, at=at)
        result = stats.statistics_from_cells(scope.cells, period=scope.period, group_by=group_by, at=at)
    else:
        result = stats.compute_statistics(
            scope.demands, group_by=group_by, at=at, department_id=scope.department_id
        )
    return stats.fill_months(result, scope.period)


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


class StatisticsView(RoleRequiredMixin, View):
    """Demand statistics for the user's scope: the headline with the definitions, a table by
    department, liaison, category or month (tabs), the monthly trend and the Excel export."""

    allowed_roles = STATS_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        at = timezone.now()
        form, scope, problems = read_request(request, at)
        result = compute(scope, at)
        user = request.user
        base_query = _query_without(request, "tab", "group_by")
        definitions = stats.DEFINITIONS
        headline = [(definitions[key], figure) for key, figure in result.total.figures.items()]
        table_keys = list(definitions)
        data = form.cleaned_data
        context = {
            "form": form,
            "problems": problems,
            "note": scope.note,
            "period": scope.period,
            "headline": headline,
            "definitions": list(definitions.values()),
            "table_definitions": [definitions[k] for k in table_keys],
            "rows": [(row, [row.figures[k] for k in table_keys]) for row in result.rows],
            "total": [result.total.figures[k] for k in table_keys],
            "tab": scope.group_by,
            "tabs": [
                {
                    "key": key,
                    "label": label,
                    "query": f"{base_query}&tab={key}" if base_query else f"tab={key}",
                }
                for key, label in stats.GROUP_LABELS.items()
            ],
            "fallback_years": result.fallback_years,
            "export_url": reverse("demands:statistics_export"),
            "export_query": request.GET.urlencode(),
            "show_department_filter": sees_all_departments(user),
            "show_jurisdiction_filter": may_choose_jurisdiction(user),
            "params": {
                "year": data.get("year") or scope.period.first.year,
                "date_from": data["date_from"].isoformat() if data.get("date_from") else "",
                "date_to": data["date_to"].isoformat() if data.get("date_to") else "",
            },
            "department_options": options_html(
                scope_queryset(Department.objects.filter(is_active=True), user)
                .order_by("order", "name")
                .values_list("pk", "name"),
                str(data["department"].pk) if data.get("department") else None,
            ),
            "category_options": options_html(
                Category.objects.order_by("order", "name").values_list("pk", "name"),
                str(data["category"].pk) if data.get("category") else None,
            ),
            "jurisdiction_options": options_html(
                _jurisdiction_choices(user),
                data["jurisdiction"].code if data.get("jurisdiction") else None,
            ),
            "chart": _chart(result),
        }
        return render(request, "demands/statistics.html", context)


def _jurisdiction_choices(user: Any) -> list[tuple[str, str]]:
    if not may_choose_jurisdiction(user):
        return []
    paths = scope_paths(user)
    queryset = Jurisdiction.objects.filter(
        level__in=(JurisdictionLevel.CITY, JurisdictionLevel.COUNTY, JurisdictionLevel.PARK)
    ).order_by("path")
    if paths is not None:
        queryset = queryset.filter(path__startswith=paths[0]) if paths else queryset.none()
    return list(queryset.values_list("code", "name"))


def _chart(result: stats.Statistics) -> dict[str, Any]:
    """The monthly trend: demands received (bars) and three rates (lines; a month without a
    denominator is a gap, not a 0)."""

    def series(key: str) -> list[float | None]:
        values = []
        for row in result.months:
            value = row.figures[key].value
            values.append(float(value) if value is not None else None)
        return values

    names = {key: str(d.name) for key, d in stats.DEFINITIONS.items()}
    return {
        "months": [row.label for row in result.months],
        "received": {"name": names["received"], "data": series("received")},
        "rates": [
            {"name": names[key], "data": series(key)}
            for key in ("on_spot_rate", "closed_on_time_rate", "satisfied_rate", "solved_rate")
        ],
        "percent": _("百分比"),
        "count": _("条"),
    }


# --- Excel -----------------------------------------------------------------------------------


def statistics_workbook(result: stats.Statistics, period: stats.Period) -> bytes:
    """The current table (with the total) as sheet one, rates as percent, numerator and
    denominator in columns of their own; the definitions as sheet two."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    table = workbook.create_sheet(title=str(stats.GROUP_LABELS.get(result.group_by or "", _("合计")))[:31])
    table.freeze_panes = "B2"

    def header(sheet: Any, titles: list[str]) -> None:
        cells = []
        for title in titles:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    titles = [_("统计对象")]
    for definition in stats.DEFINITIONS.values():
        name = str(definition.name)
        if definition.kind == "rate":
            titles += [f"{name}（%）", _("%(name)s分子") % {"name": name}, _("%(name)s分母") % {"name": name}]
        else:
            titles.append(name)
    header(table, titles)

    def line(row: stats.Row) -> list[Any]:
        values: list[Any] = [row.label]
        for key, definition in stats.DEFINITIONS.items():
            figure = row.figures[key]
            value = float(figure.value) if figure.value is not None else "—"
            if definition.kind == "rate":
                values += [value, figure.numerator, figure.denominator]
            else:
                values.append(value)
        return values

    for row in result.rows:
        table.append(line(row))
    table.append(line(result.total))
    sheet = workbook.create_sheet(title=_("指标口径"))
    header(sheet, [_("指标"), _("口径"), _("统计区间")])
    span = f"{period.first.isoformat()} — {period.last.isoformat()}"
    for definition in stats.DEFINITIONS.values():
        sheet.append([str(definition.name), str(definition.definition), span])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class StatisticsExportView(RoleRequiredMixin, View):
    """The table the page shows (same filters and tab) as an .xlsx file, with the definitions
    on a second sheet."""

    allowed_roles = STATS_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        at = timezone.now()
        _form, scope, _problems = read_request(request, at)
        result = compute(scope, at)
        content = statistics_workbook(result, scope.period)
        stamp = timezone.localtime(at).strftime("%Y%m%d-%H%M")
        return xlsx_download(content, f"{_('诉求统计')}-{stamp}.xlsx")
