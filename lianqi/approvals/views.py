"""The pages of approvals: the runs' list, one project's run (its chart coloured by where each
item stands, the items with their days, the working days against the target), one run item with
its history and the steps the user may take, starting a project's run from the project's page,
the charts with their three lists and the forms that keep them, a chart's public page for
investors, and the runs' section of the enterprise's file. Thin: objects come through the
`access_*` loaders, reads from `queries`, and every write is an action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import has_role
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate
from lianqi.core.views.steps import take_step

from . import actions, queries
from .choices import ItemAction
from .forms import ItemForm, PrerequisitesForm, StartRunForm, StepForm, step_form
from .models import Chart, Item, Run, RunItem
from .permissions import (
    EDITORS,
    MANAGERS,
    READERS,
    access_chart,
    access_enterprise,
    access_item,
    access_project,
    access_run,
    access_run_item,
    visible_charts,
)
from .workflow import workflow


def _kind_label(kind: str) -> str:
    return dict(actions.project_kinds()).get(kind, kind)


class RunListView(RoleRequiredMixin, View):
    """Every run the user may see, with its working days against its target."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.run_list(request.user, request.GET)
        context = paginate(request, found.qs)
        runs = list(context["object_list"])
        elapsed = queries.elapsed_of(runs, timezone.localdate())
        context["rows"] = [{"run": r, "elapsed": elapsed[r.pk]} for r in runs]
        context["filter_form"] = found.form
        context["export_query"] = request.GET.urlencode()
        return render(request, "approvals/list.html", context)


class RunExportView(RoleRequiredMixin, View):
    """The filtered runs as Excel: each with its items done, accepted with materials missing,
    and its working days against its target."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        runs = list(queries.run_list(request.user, request.GET).qs)
        elapsed = queries.elapsed_of(runs, timezone.localdate())
        columns = [
            Column("project", _("项目")),
            Column("chart", _("一图三单")),
            Column("started_on", _("启动日期")),
            Column("approved", _("已办结事项")),
            Column("items", _("事项")),
            Column("lenient", _("容缺受理")),
            Column("elapsed", _("已用工作日")),
            Column("target", _("承诺总时限（工作日）")),
            Column("finished_on", _("全部办结日期")),
        ]
        rows = (
            [
                run.project.name,
                run.chart.name,
                run.started_on,
                run.approved_count,
                run.item_count,
                run.lenient_count,
                elapsed[run.pk],
                run.target_workdays,
                run.finished_on,
            ]
            for run in runs
        )
        return export_xlsx(request, export="approvals.runs", title=_("项目审批"), columns=columns, rows=rows)


class RunDetailView(RoleRequiredMixin, View):
    """One project's run: the chart coloured by each item's state, the items with their days,
    the working days taken against the target, and broken 容缺 promises."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = access_run(request.user, pk)
        rows = queries.run_items(run)
        progress = queries.run_progress(run, timezone.localdate(), rows)
        layout = queries.chart_layout(run.chart, {r.item_id: r for r in rows})
        context = {
            "run": run,
            "progress": progress,
            "layout": layout,
            "kind": _kind_label(run.chart.project_kind),
        }
        return render(request, "approvals/detail.html", context)


def _item_page(request: HttpRequest, row: RunItem, failed: StepForm | None = None) -> HttpResponse:
    steps = []
    today = timezone.localdate()
    for action in workflow.allowed_actions(row, acting_user(request)):
        form = failed if failed is not None and failed.prefix == action else None
        steps.append(
            {
                "action": action,
                "label": action.label,
                "form": form or step_form(action, version=row.version, row=row, initial={"on": today}),
                "url": reverse("approvals:item_step", args=[row.pk, action]),
            }
        )
    progress = queries.run_progress(row.run, today, [row]).items[0]
    context = {
        "row": row,
        "progress": progress,
        "events": queries.history(row),
        "steps": steps,
        "prerequisites": row.item.prerequisites.all(),
        "materials": row.item.materials.all(),
        "missing": row.missing.all(),
    }
    return render(request, "approvals/item.html", context)


class RunItemView(RoleRequiredMixin, View):
    """One item of a project's run: its days, its materials, its history and its steps."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _item_page(request, access_run_item(request.user, pk))


class RunItemStepView(RoleRequiredMixin, View):
    """Take one step of a run item with the version the page showed. A refused or stale step is
    told above the page; bad input is shown next to its field with what was typed."""

    allowed_roles = READERS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = access_run_item(request.user, pk)
        take = actions.STEPS.get(action)
        if take is None:
            raise Http404
        return take_step(
            request,
            row=row,
            subject="run_item",
            take=take,
            form=step_form(action, request.POST, row=row),
            label=ItemAction(action).label,
            page=lambda failed: _item_page(request, row, failed=failed),
        )


class ProjectRunView(RoleRequiredMixin, View):
    """A key project's approvals, opened from the project's page: its run if started, otherwise
    the form that starts it from its kind's chart."""

    allowed_roles = MANAGERS

    def _page(self, request: HttpRequest, project: Any, form: StartRunForm) -> HttpResponse:
        context = {
            "project": project,
            "form": form,
            "chart": actions.chart_for(project),
            "may_start": has_role(request.user, EDITORS),
        }
        return render(request, "approvals/start.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = access_project(request.user, pk)
        run = Run.objects.filter(project=project).first()
        if run is not None:
            return redirect(run.get_absolute_url())
        return self._page(request, project, StartRunForm(initial={"on": timezone.localdate()}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = access_project(request.user, pk)
        form = StartRunForm(request.POST)
        if form.is_valid():
            try:
                run = actions.start_run(
                    project=project, actor=acting_user(request), on=form.cleaned_data["on"]
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已启动审批：%(name)s") % {"name": project.name})
                return redirect(run.get_absolute_url())
        return self._page(request, project, form)


class ChartListView(RoleRequiredMixin, View):
    """The charts (一图三单) the user's jurisdiction keeps, one per kind of project."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        charts = [
            {"chart": chart, "kind": _kind_label(chart.project_kind), "layout": queries.chart_layout(chart)}
            for chart in visible_charts(request.user).select_related("jurisdiction")
        ]
        return render(request, "approvals/charts.html", {"charts": charts})


class ChartExportView(RoleRequiredMixin, View):
    """The charts as Excel: kind, jurisdiction, items, critical path and promised time limit."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        columns = [
            Column("name", _("名称")),
            Column("kind", _("项目类别")),
            Column("jurisdiction", _("辖区")),
            Column("items", _("事项")),
            Column("critical", _("关键路径（工作日）")),
            Column("target", _("承诺总时限（工作日）")),
        ]
        rows = []
        for chart in visible_charts(request.user).select_related("jurisdiction"):
            layout = queries.chart_layout(chart)
            rows.append(
                [
                    chart.name,
                    _kind_label(chart.project_kind),
                    chart.jurisdiction.name,
                    len(layout.items),
                    layout.schedule.length,
                    chart.target_workdays,
                ]
            )
        return export_xlsx(
            request, export="approvals.charts", title=_("一图三单"), columns=columns, rows=rows
        )


def _chart_context(chart: Chart) -> dict[str, Any]:
    layout = queries.chart_layout(chart)
    return {"chart": chart, "layout": layout, "kind": _kind_label(chart.project_kind)}


class ChartDetailView(RoleRequiredMixin, View):
    """One chart with its three lists, its critical path, and the form that adds an item."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        chart = access_chart(request.user, pk)
        context = {**_chart_context(chart), "form": ItemForm(chart=chart), "editable": True}
        return render(request, "approvals/chart.html", context)


class ChartItemCreateView(RoleRequiredMixin, View):
    """Add an item to a chart; bad input comes back next to its field with what was typed."""

    allowed_roles = EDITORS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        chart = access_chart(request.user, pk)
        form = ItemForm(request.POST, chart=chart)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.add_item(
                    chart=chart,
                    stage=data["stage"],
                    name=data["name"],
                    department=data["department"],
                    time_limit=data["time_limit"],
                    statutory_limit=data["statutory_limit"],
                    basis=data["basis"],
                    fee=data["fee"],
                    place=data["place"],
                    lenient=data["lenient"],
                    prerequisites=list(data["prerequisites"]),
                    actor=acting_user(request),
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已添加事项：%(name)s") % {"name": data["name"]})
                return redirect(chart.get_absolute_url())
        context = {**_chart_context(chart), "form": form, "editable": True}
        return render(request, "approvals/chart.html", context)


class ChartItemPrerequisitesView(RoleRequiredMixin, View):
    """Change what one item of a chart waits for; a circle is refused next to the field."""

    allowed_roles = EDITORS

    def _page(self, request: HttpRequest, item: Item, form: PrerequisitesForm) -> HttpResponse:
        return render(request, "approvals/prerequisites.html", {"item": item, "form": form})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = access_item(request.user, pk)
        form = PrerequisitesForm(item=item, initial={"prerequisites": list(item.prerequisites.all())})
        return self._page(request, item, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = access_item(request.user, pk)
        form = PrerequisitesForm(request.POST, item=item)
        if form.is_valid():
            try:
                actions.set_prerequisites(
                    item=item,
                    prerequisites=list(form.cleaned_data["prerequisites"]),
                    actor=acting_user(request),
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已更新前置事项：%(name)s") % {"name": item.name})
                return redirect(item.chart.get_absolute_url())
        return self._page(request, item, form)


class ChartGuideView(View):
    """A chart's public page (一图三单 for investors): the diagram, the items, how each is carried
    out and the materials. No account needed: a chart holds no personal data."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        chart = get_object_or_404(Chart, pk=pk)
        return render(request, "approvals/guide.html", {**_chart_context(chart), "public": True})


class RunEnterpriseSectionView(RoleRequiredMixin, View):
    """Approvals' section of the enterprise's file (一企一档): its projects' runs the user may see."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        runs = list(queries.for_enterprise(request.user, enterprise)[:20])
        elapsed = queries.elapsed_of(runs, timezone.localdate())
        rows = [{"run": r, "elapsed": elapsed[r.pk]} for r in runs]
        return render(request, "approvals/enterprise_section.html", {"enterprise": enterprise, "rows": rows})
