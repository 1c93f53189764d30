"""The attraction pipeline's pages (招商): the funnel of a year with conversion and dwell time,
its signings (those over ¥100m apart) and the projects signed, landed and producing in the same
year; one lead with its history and the steps the user may take."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.views import RoleRequiredMixin, export_xlsx

from .. import leads
from ..actions.pipeline import LEAD_STEPS
from ..choices import LEAD_DATE_FIELDS, PIPELINE, LeadAction
from ..forms import LeadStepForm, lead_step_form
from ..models import Lead
from ..permissions import MANAGERS, access_lead
from ..workflow import lead_workflow
from .common import run


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class PipelineView(RoleRequiredMixin, View):
    """The year's attraction pipeline: the funnel, the signings, same-year projects, the leads."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _year(request)
        context = {
            "figures": leads.pipeline_figures(request.user, year),
            "rows": leads.lead_list(request.user, year)[:200],
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
            "big": leads.BIG,
        }
        return render(request, "projects/pipeline.html", context)


def _date_title(name: str) -> str:
    """A stage's date column is titled as the lead's field (线索日期, 签约日期 …)."""
    field = Lead._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


class PipelineExportView(RoleRequiredMixin, View):
    """The year's leads (found up to its end) as Excel, the amount signed in yuan to the fen."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _year(request)
        columns = [
            Column("name", _("项目名称")),
            Column("investor", _("投资方")),
            Column("industry", _("所属产业")),
            Column("state", _("招商阶段")),
            Column("amount", _("签约金额（元）")),
            *(Column(LEAD_DATE_FIELDS[stage], _date_title(LEAD_DATE_FIELDS[stage])) for stage in PIPELINE),
        ]
        rows = (
            [
                row.name,
                row.investor,
                row.industry,
                row.get_state_display(),
                row.amount,
                *(getattr(row, LEAD_DATE_FIELDS[stage]) for stage in PIPELINE),
            ]
            for row in leads.lead_list(request.user, year)
        )
        return export_xlsx(
            request, export="projects.pipeline", title=f"{year}{_('招商项目')}", columns=columns, rows=rows
        )


def _lead_page(request: HttpRequest, row: Lead, failed: LeadStepForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    steps = []
    for action in lead_workflow.allowed_actions(row, acting_user(request)):
        form = failed if failed is not None and failed.prefix == action else None
        steps.append(
            {
                "action": action,
                "label": action.label,
                "form": form or lead_step_form(action, version=row.version, today=today),
                "url": reverse("projects:lead_step", args=[row.pk, action]),
            }
        )
    return render(request, "projects/lead.html", {"row": row, "events": leads.history(row), "steps": steps})


class LeadView(RoleRequiredMixin, View):
    """One lead: its stages with their dates, its history and the steps the user may take."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _lead_page(request, access_lead(request.user, pk))


class LeadStepView(RoleRequiredMixin, View):
    """Move a lead on (or drop it) on the date it happened."""

    allowed_roles = MANAGERS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = access_lead(request.user, pk)
        take = LEAD_STEPS.get(action)
        if take is None:
            raise Http404
        form = lead_step_form(action, request.POST)

        def act() -> Lead:
            return take(
                lead=row,
                actor=acting_user(request),
                expected_version=form.cleaned_data["expected_version"],
                **form.inputs(),
            )

        if run(request, form, act, str(LeadAction(action).label)) is None and form.errors:
            return _lead_page(request, row, failed=form)
        return redirect(row.get_absolute_url())
