"""The attraction pipeline's pages (招商): the funnel of a year with conversion and dwell time,
its signings (those over ¥100m apart) and the projects signed, landed and producing in the same
year; one lead with its history and the steps the user may take."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.views import RoleRequiredMixin

from .. import leads
from ..actions.pipeline import LEAD_STEPS
from ..choices import LeadAction
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
