"""The export log's pages, for administrators: every Excel file taken out of Lianqi, by whom,
under which filter, how many rows and which columns were masked (`core.exportlog`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core import exportlog
from lianqi.core.excel import Column
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate, search_query


class ExportLogView(RoleRequiredMixin, View):
    """The records of the administrator's jurisdiction, newest first, searchable."""

    allowed_roles = exportlog.LOG_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        query = search_query(request)
        export = request.GET.get("export", "")
        records = exportlog.record_list(request.user, query=query, export=export)
        context = paginate(request, records)
        context.update(
            q=query,
            export=export,
            exports=exportlog.export_choices(request.user),
            export_query=urlencode({k: v for k, v in (("q", query), ("export", export)) if v}),
        )
        return render(request, "core/export_log.html", context)


class ExportLogExportView(RoleRequiredMixin, View):
    """The records the page lists under the same search, as an Excel file (itself recorded)."""

    allowed_roles = exportlog.LOG_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        records = exportlog.record_list(
            request.user, query=search_query(request), export=request.GET.get("export", "")
        )
        columns = (
            Column("at", _("导出时间")),
            Column("username", _("导出人")),
            Column("roles", _("角色")),
            Column("title", _("导出项")),
            Column("query", _("筛选条件")),
            Column("rows", _("行数")),
            Column("masked", _("脱敏列")),
        )
        rows = (
            (
                f"{timezone.localtime(r.at):%Y-%m-%d %H:%M:%S}",
                r.username,
                r.roles,
                r.title,
                r.query,
                r.rows,
                "、".join(r.masked_columns),
            )
            for r in records
        )
        return export_xlsx(request, export="core.export_log", title=_("导出记录"), columns=columns, rows=rows)


class ExportRecordView(RoleRequiredMixin, View):
    """One record in full: the whole filter string and every masked column."""

    allowed_roles = exportlog.LOG_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = exportlog.access_export_record(request.user, pk)
        return render(request, "core/export_record.html", {"record": record})
