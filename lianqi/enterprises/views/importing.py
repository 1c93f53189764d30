"""Pages of the enterprise import: upload, preview with progress, commit, template, job list.
Views stay thin: the work is in the import's actions and runs as background tasks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.models import Job
from lianqi.core.views import RoleRequiredMixin, paginate, xlsx_download

from .. import actions, importing
from ..forms.importing import ImportCommitForm, ImportUploadForm
from ..permissions import EDIT_ROLES, access_import_job, import_jobs_visible

ERRORS_PER_PAGE = 100
RUNNING = {Job.Status.QUEUED, Job.Status.RUNNING}


class ImportStartView(RoleRequiredMixin, View):
    """Upload a workbook; a valid one becomes an import job and the user goes to its preview."""

    allowed_roles = EDIT_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ImportUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = actions.start_import(actor=acting_user(request), upload=form.cleaned_data["file"])
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                return redirect("enterprises:import_preview", pk=job.pk)
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: ImportUploadForm) -> HttpResponse:
        recent = import_jobs_visible(request.user)[:5]
        return render(request, "enterprises/import_start.html", {"form": form, "recent": recent})


class ImportPreviewView(RoleRequiredMixin, View):
    """The job's progress while it runs, then the counts and every bad row. Polled by htmx:
    an htmx request gets only the progress fragment, and a full reload once the job settles."""

    allowed_roles = EDIT_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = access_import_job(request.user, pk)
        running = job.status in RUNNING
        context: dict[str, Any] = {
            "job": job,
            "running": running,
            "committing": running and job.result.get("phase") == importing.PHASE_COMMIT,
        }
        if getattr(request, "htmx", False):
            response = render(request, "enterprises/import_preview.html#progress", context)
            if not running:
                response["HX-Refresh"] = "true"
            return response
        counts = job.result.get("counts", {})
        errors = job.result.get("errors", [])
        page = Paginator(errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            counts=counts,
            valid=counts.get("new", 0) + counts.get("update", 0),
            page_obj=page,
            query_string=query.urlencode(),
            written=job.result.get("written", {}),
            mode_all=importing.MODE_ALL,
            mode_valid=importing.MODE_VALID,
        )
        return render(request, "enterprises/import_preview.html", context)


class ImportCommitView(RoleRequiredMixin, View):
    """Confirm a previewed import: all rows, or only the valid ones."""

    allowed_roles = EDIT_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = access_import_job(request.user, pk)
        form = ImportCommitForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择导入方式"))
            return redirect("enterprises:import_preview", pk=job.pk)
        try:
            actions.request_commit(job=job, actor=acting_user(request), mode=form.cleaned_data["mode"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("enterprises:import_preview", pk=job.pk)


class ImportTemplateView(RoleRequiredMixin, View):
    """The import template: the header and one example row."""

    allowed_roles = EDIT_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        content = importing.template_workbook(user=acting_user(request))
        title = _("企业导入模板")
        return xlsx_download(
            request, content, f"{title}.xlsx", export="enterprises.import_template", title=title, rows=1
        )


class ImportJobListView(RoleRequiredMixin, View):
    """The enterprise imports of the user's jurisdiction, newest first, to come back to."""

    allowed_roles = EDIT_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        context = paginate(request, import_jobs_visible(request.user).order_by("-created_at", "-pk"))
        return render(request, "enterprises/import_jobs.html", context)
