"""What one request for the demand statistics asks for, and its figures: the filters (a year or
a span of days, a jurisdiction, a department, a category, a grouping) read by `StatisticsForm`,
which the page, its Excel file and the API share, limited to what the user may see (`Scope`),
and the figures of a scope (`statistics_for`): a whole jurisdiction's are added up from the
stored day cells (refreshed first for the scope), one department's or one category's are
counted from the demands. The measures ask for a jurisdiction's figures the same way
(`jurisdiction_statistics`), so the home page and the statistics page never disagree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqi.core import workdays
from lianqi.core.roles import OFFICE_ROLES, Role, has_role
from lianqi.core.scoping import scope_paths, scope_queryset
from lianqi.org.choices import JurisdictionLevel
from lianqi.org.models import Department, Jurisdiction

from .. import permissions
from ..models import Category, Demand, StatisticsCell, StatisticsStaleDay
from . import cells, figures
from .figures import Period, Statistics

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
        label=gettext_lazy("分组"), choices=[(g, g) for g in figures.GROUPS], required=False
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
        data["period"] = Period(first, last)
        return data


@dataclass
class Scope:
    """What one request asks for, already limited to what the user may see."""

    demands: QuerySet[Demand]
    period: Period
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
    period: Period = data["period"]
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
    demands = figures.filter_demands(
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
        scope.cells, scope.stale = _stored(
            scope_queryset(StatisticsCell.objects.all(), user),
            scope_queryset(StatisticsStaleDay.objects.all(), user),
            period,
            code,
        )
    return scope


def _stored(
    cells: QuerySet[StatisticsCell], stale: QuerySet[StatisticsStaleDay], period: Period, code: str | None
) -> tuple[QuerySet[StatisticsCell], QuerySet[StatisticsStaleDay]]:
    """The day cells of `period` (in jurisdiction `code`, when given) and their stale marks."""
    return (
        figures.filter_by_day(cells, period=period, jurisdiction_code=code),
        figures.filter_by_day(stale, period=period, jurisdiction_code=code),
    )


def jurisdiction_scope(path: str, period: Period) -> Scope:
    """Every demand received in `period` in the jurisdiction at `path` and below: the scope the
    statistics page has for a leader or the office of that jurisdiction without filters."""
    cells, stale = _stored(
        StatisticsCell.objects.filter(jurisdiction_path__startswith=path),
        StatisticsStaleDay.objects.filter(jurisdiction_path__startswith=path),
        period,
        None,
    )
    return Scope(
        demands=figures.filter_demands(
            Demand.objects.filter(jurisdiction_path__startswith=path), period=period
        ),
        period=period,
        group_by="",
        department_id=None,
        cells=cells,
        stale=stale,
    )


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


def statistics_for(scope: Scope, *, at: dt.datetime) -> Statistics:
    """The figures of `scope` at `at`: from the day cells, refreshed first, for a whole
    jurisdiction; counted from the demands for one department or category."""
    group_by = scope.group_by or None
    if scope.cells is not None and scope.stale is not None:
        cells.refresh(marks=scope.stale, at=at)
        result = figures.statistics_from_cells(scope.cells, period=scope.period, group_by=group_by, at=at)
    else:
        result = figures.compute_statistics(
            scope.demands, group_by=group_by, at=at, department_id=scope.department_id
        )
    return figures.fill_months(result, scope.period)


def jurisdiction_statistics(path: str, period: Period, *, at: dt.datetime) -> Statistics:
    """The figures of the demands received in `period` in the jurisdiction at `path` and below,
    judged at `at`: the headline the statistics page shows that jurisdiction's leader."""
    return statistics_for(jurisdiction_scope(path, period), at=at)


def jurisdiction_choices(user: Any) -> list[tuple[str, str]]:
    """The jurisdictions a user above a park may narrow the figures to (code, name): the
    cities, counties and parks of their own subtree."""
    if not may_choose_jurisdiction(user):
        return []
    paths = scope_paths(user)
    queryset = Jurisdiction.objects.filter(
        level__in=(JurisdictionLevel.CITY, JurisdictionLevel.COUNTY, JurisdictionLevel.PARK)
    ).order_by("path")
    if paths is not None:
        queryset = queryset.filter(path__startswith=paths[0]) if paths else queryset.none()
    return list(queryset.values_list("code", "name"))
