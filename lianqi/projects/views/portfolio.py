"""The portfolio: the list with its filters and Excel export, the dashboard, registering a
project, one project's page with its stage steps, and its section of the enterprise's file."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.roles import has_role
from lianqi.core.scoping import scope_queryset
from lianqi.core.views import RoleRequiredMixin, document_download, export_xlsx, paginate
from lianqi.demands.models import Category
from lianqi.org.models import Department, Jurisdiction

from .. import queries
from ..actions import portfolio as actions
from ..actions.reports import may_report
from ..documents import monthly_report_docx, monthly_report_for, monthly_report_pdf
from ..forms import MilestoneForm, PlanForm, ProjectForm, ReportWordingForm, StageForm, TemplateForm
from ..models import Project
from ..permissions import EDITORS, MANAGERS, READERS, access_enterprise, access_project
from ..workflow import workflow
from .common import run


class ProjectListView(RoleRequiredMixin, View):
    """Every project the user may see, filtered, with its year's completion and status."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.projects_list(request.user, request.GET)
        context = paginate(request, found.qs)
        context["figures"] = queries.figures(context["page_obj"].object_list, timezone.localdate())
        context["filter_form"] = found.form
        context["export_query"] = request.GET.urlencode()
        context["may_create"] = has_role(request.user, EDITORS)
        return render(request, "projects/list.html", context)


class ProjectExportView(RoleRequiredMixin, View):
    """The filtered portfolio as Excel, amounts in yuan to the fen."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.projects_list(request.user, request.GET)
        columns = [
            Column("name", _("项目名称")),
            Column("owner", _("业主单位")),
            Column("kind", _("项目类别")),
            Column("level", _("项目级别")),
            Column("state", _("项目阶段")),
            Column("leader", _("责任领导")),
            Column("department", _("责任单位")),
            Column("total", _("总投资（元）")),
            Column("plan", _("年度计划投资（元）")),
            Column("done", _("年度完成投资（元）")),
            Column("completion", _("完成率（%）")),
        ]
        rows = (
            [
                f.project.name,
                f.project.owner,
                f.project.get_kind_display(),
                f.project.get_level_display(),
                f.project.get_state_display(),
                f.project.leader,
                f.project.department.name,
                f.project.total_investment,
                f.project.year_plan,
                f.year_done,
                f.completion,
            ]
            for f in queries.figures(found.qs, timezone.localdate())
        )
        return export_xlsx(
            request, export="projects.portfolio", title=_("重点项目"), columns=columns, rows=rows
        )


class DashboardView(RoleRequiredMixin, View):
    """The portfolio dashboard of a plan year: completion by project, leader and kind, stages,
    slipped projects and open decisions."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        year = _dashboard_year(request, today)
        context = queries.portfolio(request.user, year, today)
        context["months"] = range(1, 13)
        context["report_month"] = today.month if year == today.year else 12
        context["may_word"] = has_role(request.user, EDITORS)
        return render(request, "projects/dashboard.html", context)


def _dashboard_year(request: HttpRequest, today: Any) -> int:
    try:
        return int(request.GET.get("year", today.year))
    except ValueError:
        return int(today.year)


def _group_rows(groups: Any) -> Any:
    return ([g.label, g.count, g.plan, g.done, g.completion] for g in groups)


class DashboardExportView(RoleRequiredMixin, View):
    """One of the dashboard's tables as Excel (completion by leader, by kind, or every slipped
    project with its days late), the figures the dashboard shows, amounts in yuan to the fen."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, table: str) -> HttpResponse:
        today = timezone.localdate()
        year = _dashboard_year(request, today)
        figures = queries.portfolio(request.user, year, today)
        group_columns = [
            Column("count", _("项目数")),
            Column("plan", _("年度计划投资（元）")),
            Column("done", _("完成投资（元）")),
            Column("completion", _("完成率（%）")),
        ]
        if table == "leaders":
            title, columns = _("按责任领导"), [Column("label", _("责任领导")), *group_columns]
            rows = _group_rows(figures["by_leader"])
        elif table == "kinds":
            title, columns = _("按项目类别"), [Column("label", _("项目类别")), *group_columns]
            rows = _group_rows(figures["by_kind"])
        elif table == "slipped":
            title = _("节点滞后项目")
            columns = [
                Column("name", _("项目名称")),
                Column("leader", _("责任领导")),
                Column("slipped", _("滞后节点数")),
                Column("days", _("滞后天数")),
            ]
            rows = ([f.project.name, f.project.leader, f.slipped, f.slipped_days] for f in figures["slipped"])
        else:
            raise Http404
        return export_xlsx(
            request, export=f"projects.dashboard.{table}", title=f"{year}{title}", columns=columns, rows=rows
        )


def _report_month(request: HttpRequest, today: Any) -> tuple[int, int]:
    """The `?year=&month=` of a monthly report; a missing or bad value is the current month."""
    try:
        year, month = int(request.GET.get("year", "")), int(request.GET.get("month", ""))
    except ValueError:
        return today.year, today.month
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return today.year, today.month
    return year, month


class MonthlyReportView(RoleRequiredMixin, View):
    """The month's analysis of the portfolio (项目月报) as a Word document, or as PDF with
    `?format=pdf`, figures as the dashboard counts them for the user's own jurisdiction and
    worded as its office set it."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        year, month = _report_month(request, today)
        content = monthly_report_for(request.user, year, month, today)
        name = f"{_('项目月报')}-{year}-{month:02d}"
        if request.GET.get("format") == "pdf":
            return document_download(monthly_report_pdf(content), f"{name}.pdf")
        return document_download(monthly_report_docx(content), f"{name}.docx")


def _own_jurisdiction(request: HttpRequest) -> Jurisdiction:
    """The user's own jurisdiction, whose monthly report they word (404 for a user without one)."""
    jurisdiction = getattr(request.user, "jurisdiction", None)
    if jurisdiction is None:
        raise Http404
    return jurisdiction


class ReportWordingView(RoleRequiredMixin, View):
    """The office's wording of its monthly report (title, issuing office, opening, signature),
    for the user's own jurisdiction."""

    allowed_roles = EDITORS

    def _page(self, request: HttpRequest, form: ReportWordingForm) -> HttpResponse:
        wording = queries.report_wording(_own_jurisdiction(request))
        return render(request, "projects/report_wording.html", {"form": form, "wording": wording})

    def get(self, request: HttpRequest) -> HttpResponse:
        wording = queries.report_wording(_own_jurisdiction(request))
        names = ("title", "issuer", "intro", "signature")
        initial = {name: getattr(wording, name) for name in names} if wording else {}
        return self._page(request, ReportWordingForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ReportWordingForm(request.POST, request.FILES)

        def act() -> Any:
            return actions.save_report_wording(
                actor=acting_user(request), jurisdiction=_own_jurisdiction(request), **form.cleaned_data
            )

        if run(request, form, act, _("已保存月报措辞")) is None:
            return self._page(request, form)
        return redirect("projects:report_wording")


def _departments(request: HttpRequest) -> Any:
    return scope_queryset(Department.objects.filter(is_active=True), request.user)


class ProjectCreateView(RoleRequiredMixin, View):
    """Register a key project, owned by an enterprise of the register (`?enterprise=`) or a
    project company to be registered."""

    allowed_roles = EDITORS

    def _page(self, request: HttpRequest, form: ProjectForm, enterprise: Any) -> HttpResponse:
        return render(request, "projects/form.html", {"form": form, "enterprise": enterprise})

    def _enterprise(self, request: HttpRequest) -> Any:
        pk = request.GET.get("enterprise", "")
        return access_enterprise(request.user, int(pk)) if pk.isdigit() else None

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ProjectForm(
            departments=_departments(request), initial={"plan_year": timezone.localdate().year}
        )
        return self._page(request, form, self._enterprise(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        enterprise = self._enterprise(request)
        form = ProjectForm(request.POST, departments=_departments(request))

        def act() -> Project:
            return actions.create_project(
                actor=acting_user(request), enterprise=enterprise, **form.cleaned_data
            )

        row = run(request, form, act, _("已登记项目"))
        if row is not None:
            return redirect(row.get_absolute_url())
        return self._page(request, form, enterprise)


def project_page(request: HttpRequest, row: Project, **failed: Any) -> HttpResponse:
    """One project's page: its figures, battle map, reports, problems, history and the forms the
    user may use (a form that failed keeps what was typed, with its errors)."""
    actor = acting_user(request)
    today = timezone.localdate()
    steps = [
        {
            "action": action,
            "label": action.label,
            "form": failed.get(str(action))
            or StageForm(prefix=str(action), initial={"expected_version": row.version}),
            "url": reverse("projects:step", args=[row.pk, action]),
        }
        for action in workflow.allowed_actions(row, actor)
    ]
    initial = {"expected_version": row.version}
    context = {
        "row": row,
        "figures": queries.figures([row], today)[0],
        "map": queries.battle_map(row, today),
        "reports": queries.reports(row)[:12],
        "problems": row.issues.select_related("demand"),
        "events": queries.history(row),
        "categories": Category.objects.filter(is_active=True),
        "steps": steps,
        "may_edit": bool(workflow.roles_for(row, actor)),
        "may_report": may_report(row, actor),
        "template_form": failed.get("template")
        or TemplateForm(prefix="template", initial={"expected_version": row.version, "start": today}),
        "milestone_form": failed.get("milestone") or MilestoneForm(prefix="milestone", initial=initial),
        "plan_form": failed.get("plan")
        or PlanForm(
            prefix="plan",
            initial={**initial, "total_investment": row.total_investment, "year_plan": row.year_plan},
        ),
    }
    return render(request, "projects/detail.html", context)


class ProjectDetailView(RoleRequiredMixin, View):
    """One project (一个项目、一个主体、一套专班、一张作战图)."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return project_page(request, access_project(request.user, pk))


class PlanRevisionView(RoleRequiredMixin, View):
    """Revise a project's total investment and yearly plan, with the reason; bad input is shown
    next to its field on the project's page."""

    allowed_roles = EDITORS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_project(request.user, pk)
        form = PlanForm(request.POST, prefix="plan")

        def act() -> Project:
            return actions.revise_plan(project=row, actor=acting_user(request), **form.cleaned_data)

        if run(request, form, act, _("已调整投资计划")) is None:
            return project_page(request, row, plan=form)
        return redirect(row.get_absolute_url())


class ProjectStepView(RoleRequiredMixin, View):
    """Move a project to its next stage on the date it was reached."""

    allowed_roles = EDITORS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = access_project(request.user, pk)
        take = actions.STEPS.get(action)
        if take is None:
            raise Http404
        form = StageForm(request.POST, prefix=action)

        def act() -> Project:
            return take(
                project=row,
                actor=acting_user(request),
                expected_version=form.cleaned_data["expected_version"],
                on=form.cleaned_data["on"],
            )

        if run(request, form, act, _("已更新项目阶段")) is None and form.errors:
            return project_page(request, row, **{action: form})
        return redirect(row.get_absolute_url())


class EnterpriseSectionView(RoleRequiredMixin, View):
    """The key projects an enterprise owns, as a section of its file (一企一档)."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        context = {
            "enterprise": enterprise,
            "rows": queries.for_enterprise(request.user, enterprise)[:20],
            "create_url": reverse("projects:create") + f"?enterprise={enterprise.pk}",
        }
        return render(request, "projects/enterprise_section.html", context)
