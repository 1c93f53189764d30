"""The enterprise's policies through its code (营商码), without an account: the policies it
fits with the reasons, those it may fit, the near misses, and online application once the
filer's phone is confirmed (the same one-time code as for demands)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.forms import add_action_errors as add_errors
from lianqi.core.scoping import get_object_or_404_scoped
from lianqi.enterprises.views_code import CodeTokenMixin

from . import actions, queries, workflow
from .forms import FulfilmentStepForm
from .models import Fulfilment, Policy
from .permissions import policies_for_enterprise


class CodePoliciesView(CodeTokenMixin):
    """`/c/<token>/policies/`: 一键智配 for the enterprise behind the code."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        found = queries.policies_for(self.enterprise, day=timezone.localdate())
        return render(request, "policies/code_list.html", {**self.base_context(), "found": found})


class CodePolicyView(CodeTokenMixin):
    """`/c/<token>/policies/<pk>/`: one policy in plain Chinese, why the enterprise fits it,
    its ledger entries for the policy, and the application form (confirmed phone first)."""

    def _policy(self, pk: int) -> Policy:
        return get_object_or_404_scoped(policies_for_enterprise(self.enterprise), pk=pk)

    def _context(self, policy: Policy, form: FulfilmentStepForm | None = None) -> dict[str, Any]:
        day = timezone.localdate()
        version = actions.version_on(policy, day)
        outline, benefit = queries.rule_outline(version, day=day) if version is not None else ([], "")
        found = queries.policies_for(self.enterprise, day=day)
        fit = next((f for f in found.eligible + found.unknown if f.policy.pk == policy.pk), None)
        entries = Fulfilment.objects.filter(policy=policy, enterprise=self.enterprise).order_by("-period")
        applied = entries.exclude(state__in=("matched", "notified")).exists()
        can_apply = fit is not None and policy.needs_application and not policy.no_application and not applied
        return {
            **self.base_context(),
            "policy": policy,
            "outline": outline,
            "benefit": benefit,
            "fit": fit,
            "entries": entries,
            "can_apply": can_apply,
            "form": form or FulfilmentStepForm(needs=("text",), versioned=False, materials=True),
        }

    def get(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        return render(request, "policies/code_detail.html", self._context(self._policy(pk)))

    def post(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        policy = self._policy(pk)
        contact = self.contact()
        if contact is None:
            messages.error(request, _("请先验证手机号"))
            return self.to_confirm(request.path)
        form = FulfilmentStepForm(
            request.POST, request.FILES, needs=("text",), versioned=False, materials=True
        )
        if form.is_valid():
            try:
                actions.apply_for_policy(
                    policy=policy,
                    enterprise=self.enterprise,
                    actor=None,
                    text=form.cleaned_data["text"],
                    materials=form.cleaned_data.get("materials", []),
                    name=contact.name,
                    phone=contact.phone,
                )
            except ValidationError as error:
                add_errors(form, error)
            except (workflow.TransitionNotAllowed, actions.StaleFulfilment) as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("申报已提交，请留意审核进度"))
                return redirect("codes:policy_detail", token=self.token, pk=policy.pk)
        return render(request, "policies/code_detail.html", self._context(policy, form), status=400)
