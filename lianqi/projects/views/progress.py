"""The battle map (作战图) and its milestones, the month's report (a phone-sized form), and
referring a project's problem to the demands' intake."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.views import RoleRequiredMixin

from .. import queries
from ..actions import milestones, reports
from ..forms import DependencyForm, MilestoneDatesForm, MilestoneForm, ReferForm, ReportForm, TemplateForm
from ..permissions import EDITORS, READERS, access_milestone, access_photo, access_problem, access_project
from ..workflow import workflow
from .common import run
from .portfolio import project_page


class BattleMapView(RoleRequiredMixin, View):
    """A project's battle map on its own page: the Gantt rows, slipped milestones in red with their
    days of slippage, and the forms to record actual dates."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_project(request.user, pk)
        context = {
            "row": row,
            "map": queries.battle_map(row, timezone.localdate()),
            "today": timezone.localdate(),
            "may_edit": bool(workflow.roles_for(row, acting_user(request))),
        }
        return render(request, "projects/battle_map.html", context)


class MilestoneCreateView(RoleRequiredMixin, View):
    """Add a milestone to a project's battle map."""

    allowed_roles = EDITORS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_project(request.user, pk)
        form = MilestoneForm(request.POST, prefix="milestone")

        def act() -> object:
            data = dict(form.cleaned_data)
            return milestones.plan_milestone(project=row, actor=acting_user(request), **data)

        if run(request, form, act, _("已添加节点")) is None and form.errors:
            return project_page(request, row, milestone=form)
        return redirect("projects:battle_map", pk=row.pk)


class MilestoneTemplateView(RoleRequiredMixin, View):
    """Lay out a project's battle map from its kind's template."""

    allowed_roles = EDITORS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_project(request.user, pk)
        form = TemplateForm(request.POST, prefix="template")

        def act() -> object:
            return milestones.plan_from_template(project=row, actor=acting_user(request), **form.cleaned_data)

        if run(request, form, act, _("已按模板编排节点")) is None and form.errors:
            return project_page(request, row, template=form)
        return redirect("projects:battle_map", pk=row.pk)


class MilestoneDatesView(RoleRequiredMixin, View):
    """Record a milestone's actual start and end."""

    allowed_roles = EDITORS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        milestone = access_milestone(request.user, pk)
        form = MilestoneDatesForm(request.POST, prefix=f"m{milestone.pk}")

        def act() -> object:
            return milestones.record_milestone(
                milestone=milestone, actor=acting_user(request), **form.cleaned_data
            )

        run(request, form, act, _("已填报节点日期"))
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else ''} {' '.join(str(e) for e in errors)}",
            )
        return redirect("projects:battle_map", pk=milestone.project_id)


class MilestoneDependencyView(RoleRequiredMixin, View):
    """Change which milestone of the project a milestone waits for (or make it wait for none);
    a circle is refused with the field named."""

    allowed_roles = EDITORS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        milestone = access_milestone(request.user, pk)
        others = milestone.project.milestones.all()
        form = DependencyForm(request.POST, prefix=f"d{milestone.pk}", milestones=others)

        def act() -> object:
            return milestones.set_milestone_dependency(
                milestone=milestone, actor=acting_user(request), **form.cleaned_data
            )

        run(request, form, act, _("已调整前置节点"))
        for errors in form.errors.values():
            messages.error(request, f"{_('前置节点')} {' '.join(str(e) for e in errors)}")
        return redirect("projects:battle_map", pk=milestone.project_id)


class ReportView(RoleRequiredMixin, View):
    """The month's report on a page of its own, one column on a phone."""

    allowed_roles = READERS

    def _page(self, request: HttpRequest, row: object, form: ReportForm) -> HttpResponse:
        return render(request, "projects/report_form.html", {"row": row, "form": form})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_project(request.user, pk)
        initial = {"expected_version": row.version, "period": timezone.localdate().strftime("%Y-%m")}
        return self._page(request, row, ReportForm(prefix="report", initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_project(request.user, pk)
        form = ReportForm(request.POST, request.FILES, prefix="report")

        def act() -> object:
            return reports.submit_report(project=row, actor=acting_user(request), **form.cleaned_data)

        if run(request, form, act, _("已报送进度")) is None:
            return self._page(request, row, form)
        return redirect(row.get_absolute_url())


class ReferProblemView(RoleRequiredMixin, View):
    """Pass a project's problem to the demands' intake as a demand."""

    allowed_roles = EDITORS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = access_problem(request.user, pk)
        form = ReferForm(request.POST, prefix=f"p{problem.pk}")

        def act() -> object:
            return reports.refer_problem(
                problem=problem, actor=acting_user(request), category=form.cleaned_data["category"]
            )

        if run(request, form, act, _("问题已转为诉求")) is None:
            for errors in form.errors.values():
                messages.error(request, " ".join(str(e) for e in errors))
        return redirect(problem.project.get_absolute_url())


class ReportPhotoView(RoleRequiredMixin, View):
    """One photo of a progress report, shown inline (the project page's thumbnails). Looked up
    through the projects the user may see, so another park's photo answers 404."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        photo = access_photo(request.user, pk)
        try:
            handle = photo.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        return FileResponse(handle, content_type=photo.content_type, filename=photo.name)
