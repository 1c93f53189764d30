"""The statistics page (诉求统计) and its Excel export: the headline figures with each
definition printed beside it, one table by department, liaison, category or month, and the
monthly trend. The filters and the figures come from `scope` (shared with the API), the
options of the filters from `queries`."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from openpyxl import Workbook

from lianqi.core.excel import append_header
from lianqi.core.views import RoleRequiredMixin, xlsx_download
from lianqi.enterprises.views import options_html

from .. import queries
from . import figures
from .figures import Period, Row, Statistics
from .ladder import ladder
from .scope import (
    STATS_ROLES,
    jurisdiction_choices,
    may_choose_jurisdiction,
    read_request,
    sees_all_departments,
    statistics_for,
)


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
        result = statistics_for(scope, at=at)
        user = request.user
        base_query = _query_without(request, "tab", "group_by")
        definitions = figures.DEFINITIONS
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
                for key, label in figures.GROUP_LABELS.items()
            ],
            "fallback_years": result.fallback_years,
            "export_url": reverse("demands:statistics_export"),
            "ladder_url": reverse("demands:statistics_ladder"),
            "export_query": request.GET.urlencode(),
            "show_department_filter": sees_all_departments(user),
            "show_jurisdiction_filter": may_choose_jurisdiction(user),
            "params": {
                "year": data.get("year") or scope.period.first.year,
                "date_from": data["date_from"].isoformat() if data.get("date_from") else "",
                "date_to": data["date_to"].isoformat() if data.get("date_to") else "",
            },
            "department_options": options_html(
                queries.departments_for(user).values_list("pk", "name"),
                str(data["department"].pk) if data.get("department") else None,
            ),
            "category_options": options_html(
                queries.category_choices(), str(data["category"].pk) if data.get("category") else None
            ),
            "jurisdiction_options": options_html(
                jurisdiction_choices(user),
                data["jurisdiction"].code if data.get("jurisdiction") else None,
            ),
            "chart": _chart(result),
        }
        return render(request, "demands/statistics.html", context)


class LadderView(RoleRequiredMixin, View):
    """The resolution ladder (分级化解) of the same scope and filters as the statistics page:
    how many demands were solved on the spot, assigned, taken to the roundtable or the
    dispatch meeting, or cleared by expert consultation, and how the escalated share
    (交办、圆桌会、调度会) splits."""

    allowed_roles = STATS_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        _form, scope, problems = read_request(request, timezone.now())
        result = ladder(scope.demands)
        query = _query_without(request, "tab", "group_by")
        context = {
            "problems": problems,
            "note": scope.note,
            "period": scope.period,
            "ladder": result,
            "escalated_steps": [s for s in result.steps if s.rung.escalated],
            "statistics_url": reverse("demands:statistics") + (f"?{query}" if query else ""),
        }
        return render(request, "demands/statistics_ladder.html", context)


def _chart(result: Statistics) -> dict[str, Any]:
    """The monthly trend: demands received (bars) and three rates (lines; a month without a
    denominator is a gap, not a 0)."""

    def series(key: str) -> list[float | None]:
        values = []
        for row in result.months:
            value = row.figures[key].value
            values.append(float(value) if value is not None else None)
        return values

    names = {key: str(d.name) for key, d in figures.DEFINITIONS.items()}
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


def statistics_workbook(result: Statistics, period: Period) -> bytes:
    """The current table (with the total) as sheet one, rates as percent, numerator and
    denominator in columns of their own; the definitions as sheet two."""
    workbook = Workbook(write_only=True)
    table = workbook.create_sheet(title=str(figures.GROUP_LABELS.get(result.group_by or "", _("合计")))[:31])
    table.freeze_panes = "B2"

    titles = [_("统计对象")]
    for definition in figures.DEFINITIONS.values():
        name = str(definition.name)
        if definition.kind == "rate":
            titles += [f"{name}（%）", _("%(name)s分子") % {"name": name}, _("%(name)s分母") % {"name": name}]
        else:
            titles.append(name)
    append_header(table, titles)

    def line(row: Row) -> list[Any]:
        values: list[Any] = [row.label]
        for key, definition in figures.DEFINITIONS.items():
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
    append_header(sheet, [_("指标"), _("口径"), _("统计区间")])
    span = f"{period.first.isoformat()} — {period.last.isoformat()}"
    for definition in figures.DEFINITIONS.values():
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
        result = statistics_for(scope, at=at)
        content = statistics_workbook(result, scope.period)
        stamp = timezone.localtime(at).strftime("%Y%m%d-%H%M")
        title = _("诉求统计")
        # Counts only, no person in it: nothing to mask, but the file is written down.
        return xlsx_download(
            request,
            content,
            f"{title}-{stamp}.xlsx",
            export="demands.statistics",
            title=title,
            rows=len(result.rows) + 1,  # and the total line below them
        )
