"""Applications: the list (for an institution's user, its work queue), one application with
its history and the steps the user may take, and turning a stalled one into a demand."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.roles import Role, has_role
from lianqi.core.views import RoleRequiredMixin, paginate
from lianqi.core.views.steps import take_step
from lianqi.core.workflow import StaleVersion

from .. import actions, queries
from ..choices import ApplicationAction, ApplicationState
from ..forms import StepForm, VersionForm, step_form
from ..models import Application
from ..permissions import READERS, access_application, access_shared_applicant
from ..workflow import is_member


class ApplicationListView(RoleRequiredMixin, View):
    """Every application the user may see, filtered; an institution's user sees only those
    made to its own institution (its work queue), the oldest first."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.application_list(request.user, request.GET)
        bank = has_role(request.user, (Role.FINANCE,))
        rows = found.qs.order_by("submitted_at", "pk") if bank else found.qs
        context = paginate(request, rows)
        context.update({"filter_form": found.form, "bank": bank, "now": timezone.now()})
        return render(request, "finance/application_list.html", context)


def _detail(request: HttpRequest, row: Application, failed: StepForm | None = None) -> HttpResponse:
    """One application's page: its figures, history and a form for each step the user may take
    (the one that failed keeps what was typed, with its errors)."""
    steps = []
    for action in queries.offered_steps(row, acting_user(request)):
        form = failed if failed is not None and failed.prefix == action else None
        steps.append(
            {
                "action": action,
                "label": action.label,
                "form": form or step_form(action, version=row.version),
                "url": reverse("finance:step", args=[row.pk, action]),
            }
        )
    now = timezone.now()
    context = {
        "row": row,
        "events": queries.history(row),
        "tranches": queries.tranches(row),
        "materials": row.materials.order_by("at", "pk"),
        "undrawn_fen": queries.undrawn_fen(row),
        "steps": steps,
        "overdue": queries.is_overdue(row, at=now),
        "may_raise_demand": actions.can_raise_demand(row, at=now)
        and has_role(request.user, (*actions.OFFICE_ROLES, Role.LIAISON)),
        "version_form": VersionForm(initial={"expected_version": row.version}),
        # The institution reads what the enterprise consented to share for its review.
        "may_read_applicant": row.consent
        and row.state != ApplicationState.WITHDRAWN
        and is_member(request.user, row.institution_id),
    }
    return render(request, "finance/application_detail.html", context)


class MaterialDownloadView(RoleRequiredMixin, View):
    """A document handed in with an application, for whoever may see the application: the
    enterprise, the institution it was made to, the office and the enterprise's liaison (404
    otherwise)."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
        row = access_application(request.user, pk)
        material = get_object_or_404(row.materials, pk=material_pk)
        return FileResponse(material.file.open("rb"), as_attachment=True, filename=material.name)


class ApplicationDetailView(RoleRequiredMixin, View):
    """One application: its figures, its history and the steps the user may take now."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _detail(request, access_application(request.user, pk))


class ApplicationStepView(RoleRequiredMixin, View):
    """Take one step with the version the page showed. A refused or stale step is told above
    the page; bad input is shown next to its field with what was typed."""

    allowed_roles = READERS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = access_application(request.user, pk)
        take = actions.STEPS.get(action)
        if take is None:
            raise Http404
        return take_step(
            request,
            row=row,
            subject="application",
            take=take,
            form=step_form(action, request.POST),
            label=ApplicationAction(action).label,
            page=lambda failed: _detail(request, row, failed=failed),
        )


class RaiseDemandView(RoleRequiredMixin, View):
    """Turn a stalled application into a demand of category 融资困难 (the liaison or the office)."""

    allowed_roles = (*actions.OFFICE_ROLES, Role.LIAISON)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_application(request.user, pk)
        form = VersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("页面已过期，请刷新后重试"))
            return redirect(row.get_absolute_url())
        try:
            row = actions.raise_demand(
                application=row,
                actor=acting_user(request),
                expected_version=form.cleaned_data["expected_version"],
            )
        except StaleVersion as stale:
            messages.error(request, stale.message)
        except ValidationError as refused:
            messages.error(request, "；".join(refused.messages))
        else:
            messages.success(request, _("已转为融资困难诉求"))
        return redirect(row.get_absolute_url())


class ApplicantDataView(RoleRequiredMixin, View):
    """The applicant's data as the institution the application was made to reads it: only what
    the enterprise consented to share (its registration, yearly figures and tax), only for an
    application made to the user's institution and not withdrawn (another institution: 404)."""

    allowed_roles = (Role.FINANCE,)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_shared_applicant(request.user, pk)
        context = {"row": row, "shared": queries.shared_applicant(row), "figures": queries.SHARED_YEARLY}
        return render(request, "finance/applicant.html", context)
