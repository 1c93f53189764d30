"""The enterprise's policies through its code (营商码), without an account: the policies it
fits with the reasons, those it may fit, the near misses, and online application. Which
policies an enterprise fits tells its figures, so every page here is the enterprise's own
(`CodeAccess.MEMBER`, the code pages' default): a registered phone confirmed by SMS, or a
logged-in user of the enterprise."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.forms import add_action_errors
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed
from lianqi.enterprises.views.code import CodeTokenMixin

from .. import actions, queries
from ..forms.ledger import FulfilmentStepForm
from ..models import Policy
from ..permissions import access_policy_for_enterprise


class CodePoliciesView(CodeTokenMixin):
    """`/c/<token>/policies/`: 一键智配 for the enterprise behind the code."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        found = queries.policies_for(self.enterprise, day=timezone.localdate())
        return render(request, "policies/code_list.html", {**self.base_context(), "found": found})


class CodePolicyView(CodeTokenMixin):
    """`/c/<token>/policies/<pk>/`: one policy in plain Chinese, why the enterprise fits it,
    its ledger entries for the policy, and the application form (confirmed phone first)."""

    def _context(self, policy: Policy, form: FulfilmentStepForm | None = None) -> dict[str, Any]:
        day = timezone.localdate()
        version = queries.version_on(policy, day)
        outline, benefit = queries.rule_outline(version, day=day) if version is not None else ([], "")
        fit, _miss = queries.policy_fit(self.enterprise, policy, day=day)
        entries = queries.entries_of(self.enterprise, policy=policy)
        applied = queries.has_applied(entries)
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
        return render(
            request,
            "policies/code_detail.html",
            self._context(access_policy_for_enterprise(self.enterprise, pk)),
        )

    def post(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        policy = access_policy_for_enterprise(self.enterprise, pk)
        contact = self.contact()
        assert contact is not None  # members only, checked before any handler
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
                add_action_errors(form, error)
            except (TransitionNotAllowed, StaleVersion) as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("申报已提交，请留意审核进度"))
                return redirect("codes:policy_detail", token=self.token, pk=policy.pk)
        return render(request, "policies/code_detail.html", self._context(policy, form), status=400)
