"""The export log's pages, for administrators: every Excel file taken out of Lianqi, by whom,
under which filter, how many rows and which columns were masked (`core.exportlog`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from lianqi.core import exportlog
from lianqi.core.views import RoleRequiredMixin, paginate, search_query


class ExportLogView(RoleRequiredMixin, View):
    """The records of the administrator's jurisdiction, newest first, searchable."""

    allowed_roles = exportlog.LOG_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        query = search_query(request)
        export = request.GET.get("export", "")
        records = exportlog.record_list(request.user, query=query, export=export)
        context = paginate(request, records)
        context.update(q=query, export=export, exports=exportlog.export_choices(request.user))
        return render(request, "core/export_log.html", context)


class ExportRecordView(RoleRequiredMixin, View):
    """One record in full: the whole filter string and every masked column."""

    allowed_roles = exportlog.LOG_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = exportlog.access_export_record(request.user, pk)
        return render(request, "core/export_record.html", {"record": record})
