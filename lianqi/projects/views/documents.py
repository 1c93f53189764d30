"""The monthly reports a manager builds in the background: the page that starts one and lists
their own with their progress (refreshing itself while one is under way), and the download of a
finished file."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.views import RoleRequiredMixin, document_download

from ..actions.documents import request_report_build
from ..choices import ReportBuildStatus
from ..forms import ReportBuildForm
from ..models import ReportBuild
from ..permissions import MANAGERS, access_report_build
from .common import run

#: Builds listed on the page (the latest first).
BUILDS_SHOWN = 20


class ReportBuildListView(RoleRequiredMixin, View):
    """Start building a month's report in the background, and the user's own builds."""

    allowed_roles = MANAGERS

    def _page(self, request: HttpRequest, form: ReportBuildForm) -> HttpResponse:
        builds = list(ReportBuild.objects.filter(owner=acting_user(request))[:BUILDS_SHOWN])
        under_way = any(b.status in (ReportBuildStatus.QUEUED, ReportBuildStatus.RUNNING) for b in builds)
        return render(
            request, "projects/report_builds.html", {"form": form, "builds": builds, "under_way": under_way}
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        return self._page(request, ReportBuildForm(initial={"year": today.year, "month": today.month}))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ReportBuildForm(request.POST)

        def act() -> ReportBuild:
            return request_report_build(actor=acting_user(request), **form.cleaned_data)

        if run(request, form, act, _("已开始生成月报，完成后可在此下载")) is None:
            return self._page(request, form)
        return redirect("projects:report_builds")


class ReportBuildFileView(RoleRequiredMixin, View):
    """A finished report's file, for the manager who started it (404 otherwise)."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        build = access_report_build(request.user, pk)
        if build.status != ReportBuildStatus.DONE or not build.file:
            raise Http404
        with build.file.open("rb") as stored:
            data = stored.read()
        return document_download(data, f"{_('项目月报')}-{build.year}-{build.month:02d}.{build.format}")
