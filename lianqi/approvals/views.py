"""The pages of this wing: the list, one item with its history and the steps the user may
take, registering an item from the enterprise's file, its section of that file, and the
enterprise's own items under its code. Thin: objects come through the `access_*` loaders,
reads from `queries`, and every write is an action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.views import RoleRequiredMixin, paginate
from lianqi.core.views.steps import take_step
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.views.code import CodeTokenMixin

from . import actions, queries
from .choices import ApprovalsAction
from .forms import ApprovalsForm, StepForm, step_form
from .models import Approvals
from .permissions import MANAGERS, READERS, access_enterprise, access_approvals
from .workflow import workflow


class ApprovalsListView(RoleRequiredMixin, View):
    """Every item the user may see, searched and filtered, newest first."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.approvals_list(request.user, request.GET)
        context = paginate(request, found.qs)
        context["filter_form"] = found.form
        return render(request, "approvals/list.html", context)


def _detail(request: HttpRequest, row: Approvals, failed: StepForm | None = None) -> HttpResponse:
    """One item's page: its fields, its history and a form for each step the user may take
    (the one that failed keeps what was typed, with its errors)."""
    steps = []
    for action in workflow.allowed_actions(row, acting_user(request)):
        form = failed if failed is not None and failed.prefix == action else None
        steps.append(
            {
                "action": action,
                "label": action.label,
                "form": form or step_form(action, version=row.version),
                "url": reverse("approvals:step", args=[row.pk, action]),
            }
        )
    context = {"row": row, "events": queries.history(row), "steps": steps}
    return render(request, "approvals/detail.html", context)


class ApprovalsDetailView(RoleRequiredMixin, View):
    """One item: its fields, its history and the steps the user may take now."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _detail(request, access_approvals(request.user, pk))


class ApprovalsStepView(RoleRequiredMixin, View):
    """Take one step of an item with the version the page showed. A refused or stale step is
    told above the page; bad input is shown next to its field with what was typed."""

    allowed_roles = READERS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = access_approvals(request.user, pk)
        take = actions.STEPS.get(action)
        if take is None:
            raise Http404
        return take_step(
            request,
            row=row,
            subject="approvals",
            take=take,
            form=step_form(action, request.POST),
            label=ApprovalsAction(action).label,
            page=lambda failed: _detail(request, row, failed=failed),
        )


def _form_page(request: HttpRequest, enterprise: Enterprise, form: ApprovalsForm) -> HttpResponse:
    return render(request, "approvals/form.html", {"enterprise": enterprise, "form": form})


class ApprovalsCreateView(RoleRequiredMixin, View):
    """Register an item for the enterprise whose file it was opened from."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _form_page(request, access_enterprise(request.user, pk), ApprovalsForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        form = ApprovalsForm(request.POST)
        if form.is_valid():
            try:
                row = actions.create_approvals(
                    enterprise=enterprise, title=form.cleaned_data["title"], actor=acting_user(request)
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已登记：%(title)s") % {"title": row.title})
                return redirect(row.get_absolute_url())
        return _form_page(request, enterprise, form)


class ApprovalsEnterpriseSectionView(RoleRequiredMixin, View):
    """This wing's section of the enterprise's file (一企一档): the enterprise's items the user
    may see, an HTML fragment the file page loads by itself."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        context = {
            "enterprise": enterprise,
            "rows": queries.for_enterprise(request.user, enterprise)[:20],
            "create_url": reverse("approvals:create", args=[enterprise.pk]),
        }
        return render(request, "approvals/enterprise_section.html", context)


class ApprovalsCodeListView(CodeTokenMixin):
    """`/c/<token>/approvals/`: the enterprise's items under way, through its code. They are the
    enterprise's own data: the mixin's default access (`CodeAccess.MEMBER`) sends whoever holds
    the code to confirm one of the enterprise's registered phones first."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        context: dict[str, Any] = {
            **self.base_context(),
            "rows": queries.open_for_enterprise(self.enterprise),
        }
        return render(request, "approvals/code_list.html", context)
