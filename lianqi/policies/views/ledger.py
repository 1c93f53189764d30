"""The fulfilment ledger pages (承诺兑现台账): the list with totals by policy, department and
year and its export, one entry with its history and steps, the 免申即享 beneficiaries of a
policy approved in one go, and an enterprise's online application."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES, Role
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate, url_if_allowed
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed

from .. import actions, queries, workflow
from ..choices import FulfilmentAction
from ..forms.ledger import FulfilmentStepForm, LedgerFilterForm
from ..models import Fulfilment
from ..permissions import (
    access_fulfilment,
    access_material,
    access_policy,
    fulfilments_visible,
    own_enterprise,
    policies_visible,
)
from .shelf import NOTIFY_ROLES

LEDGER_ROLES = (*STAFF_ROLES, Role.ENTERPRISE)
TOTALS = (
    ("policy", gettext_lazy("按政策")),
    ("department", gettext_lazy("按部门")),
    ("period", gettext_lazy("按年度")),
)


def _ledger(request: HttpRequest) -> tuple[LedgerFilterForm, Any]:
    form = LedgerFilterForm(request.GET or None)
    queryset = queries.ledger_list(fulfilments_visible(request.user), at=timezone.now(), **form.filters())
    return form, queryset


class LedgerView(RoleRequiredMixin, View):
    """Every promised benefit the user may see, with its step and deadline; totals of approved
    and disbursed amounts by policy, department or year over the filtered entries."""

    allowed_roles = LEDGER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        form, queryset = _ledger(request)
        by = request.GET.get("by", "policy")
        by = by if by in dict(TOTALS) else "policy"
        context = paginate(request, queryset)
        context.update(
            {
                "filter_form": form,
                "totals": queries.ledger_totals(queryset, by=by),
                "grand_total": queries.ledger_figures(queryset),
                "totals_by": by,
                "totals_tabs": TOTALS,
                "export_url": url_if_allowed(request.user, "policies:ledger_export"),
                "policy_filter": _policy_filter(request, form),
                "overdue_ids": set(
                    queries.overdue_fulfilments(queryset, at=timezone.now()).values_list("pk", flat=True)[
                        :1000
                    ]
                ),
            }
        )
        return render(request, "policies/ledger.html", context)


def _policy_filter(request: HttpRequest, form: LedgerFilterForm) -> dict[str, Any] | None:
    """The policy the ledger is narrowed to, with the link that lifts the narrowing."""
    pk = form.filters().get("policy")
    policy = queries.narrowed_to(policies_visible(request.user), pk) if pk else None
    if policy is None:
        return None
    query = request.GET.copy()
    query.pop("policy", None)
    query.pop("page", None)
    return {"title": policy.title_with_level, "clear_query": query.urlencode()}


def ledger_columns() -> list[Column]:
    return [
        Column("period", _("兑现年度")),
        Column("policy", _("政策名称")),
        Column("department", _("主管部门")),
        Column("enterprise", _("企业名称")),
        Column("credit_code", _("统一社会信用代码")),
        Column("state", _("状态")),
        Column("no_application", _("免申即享")),
        Column("promised", _("测算金额（元）")),
        Column("approved", _("批准金额（元）")),
        Column("disbursed", _("兑付金额（元）")),
        Column("disbursed_on", _("兑付日期")),
        Column("voucher", _("凭证号")),
        Column("due_on", _("本环节办理期限")),
        Column("reject_reason", _("不予通过理由")),
    ]


class LedgerExportView(RoleRequiredMixin, View):
    """The filtered ledger as an Excel file, for the finance bureau and the audit."""

    allowed_roles = tuple(STAFF_ROLES)

    def get(self, request: HttpRequest) -> HttpResponse:
        _form, queryset = _ledger(request)
        yes, no = _("是"), _("否")
        rows = (
            (
                f.period,
                f.policy.title_with_level,
                queries.responsible_of(f.policy),
                f.enterprise.name,
                f.enterprise.credit_code,
                f.get_state_display(),
                yes if f.no_application else no,
                f.promised_amount,
                f.approved_amount,
                f.disbursed_amount,
                f.disbursed_on,
                f.voucher_number,
                f.due_on,
                f.reject_reason,
            )
            for f in queryset.iterator(chunk_size=1000)
        )
        # The applicant's phone is not a column of the ledger: nothing to mask.
        return export_xlsx(
            request, export="policies.ledger", title=_("兑现台账"), columns=ledger_columns(), rows=rows
        )


def _step_form(entry: Fulfilment, action: str, data: Any = None) -> FulfilmentStepForm:
    initial_amount = entry.approved_amount or entry.promised_amount
    return FulfilmentStepForm(
        data,
        needs=workflow.needs(entry, action),
        initial_amount=initial_amount,
        initial={"expected_version": entry.version},
        action=action,
    )


def _fulfilment_page(entry: Fulfilment, steps: list[Any]) -> dict[str, Any]:
    return {
        "entry": entry,
        "materials": queries.materials_of(entry),
        "events": queries.history_of(entry),
        "steps": steps,
        "overdue": queries.is_overdue(entry, at=timezone.now()),
    }


class FulfilmentDetailView(RoleRequiredMixin, View):
    """One ledger entry: amounts, deadline, every step taken, and the steps the user may take."""

    allowed_roles = LEDGER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = access_fulfilment(request.user, pk)
        allowed = workflow.WORKFLOW.allowed_actions(entry, acting_user(request))
        steps = [(action, action.label, _step_form(entry, action)) for action in allowed]
        return render(request, "policies/fulfilment.html", _fulfilment_page(entry, steps))


class FulfilmentStepView(RoleRequiredMixin, View):
    """Take one step of a ledger entry; errors return to the form with the input kept, a stale
    page or a step not allowed says so and shows the entry as it is now."""

    allowed_roles = LEDGER_ROLES

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        entry = access_fulfilment(request.user, pk)
        if action not in actions.STEP_ACTIONS:
            raise Http404
        actor = acting_user(request)
        form = _step_form(entry, action, request.POST)
        if form.is_valid():
            try:
                actions.STEP_ACTIONS[action](
                    fulfilment=entry,
                    actor=actor,
                    expected_version=form.cleaned_data["expected_version"],
                    **actions.step_input(action, form.cleaned_data),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            except (TransitionNotAllowed, StaleVersion) as error:
                messages.error(request, error.message)
                return redirect("policies:fulfilment", pk=entry.pk)
            else:
                messages.success(request, _("已%(step)s") % {"step": FulfilmentAction(action).label})
                return redirect("policies:fulfilment", pk=entry.pk)
        allowed = workflow.WORKFLOW.allowed_actions(entry, actor)
        steps = [(a, a.label, form if a == action else _step_form(entry, a)) for a in allowed]
        return render(request, "policies/fulfilment.html", _fulfilment_page(entry, steps), status=400)


class BeneficiariesView(RoleRequiredMixin, View):
    """免申即享: the platform's list of a policy's beneficiaries with their computed amounts,
    approved in one go by the office or a leader without any application."""

    allowed_roles = (Role.LEADER, *OFFICE_ROLES)

    def _context(self, request: HttpRequest, pk: int) -> dict[str, Any]:
        policy = access_policy(request.user, pk)
        if not policy.no_application:
            raise Http404
        waiting = queries.awaiting_approval(fulfilments_visible(request.user), policy=policy)
        return {"policy": policy, "waiting": waiting}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "policies/beneficiaries.html", self._context(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = self._context(request, pk)
        chosen = [int(v) for v in request.POST.getlist("entry") if v.isdigit()]
        entries = list(context["waiting"].filter(pk__in=chosen))
        if not entries:
            messages.error(request, _("请至少选择一家企业"))
            return render(request, "policies/beneficiaries.html", context, status=400)
        approved, refused = actions.approve_beneficiaries(fulfilments=entries, actor=acting_user(request))
        messages.success(request, _("已批准 %(n)d 家企业") % {"n": len(approved)})
        for entry, reason in refused:
            messages.warning(request, f"{entry.enterprise.name}：{reason}")
        return redirect("policies:beneficiaries", pk=pk)


class PolicyNotifyMatchedView(RoleRequiredMixin, View):
    """一键告知: the office (or the policy's department) tells every enterprise matched to a
    policy this year and not yet told, in one go; each is told in-app and its liaison too."""

    allowed_roles = NOTIFY_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = access_policy(request.user, pk)
        told = actions.notify_matched_entries(
            policy=policy, actor=acting_user(request), period=timezone.localdate().year
        )
        if told:
            messages.success(request, _("已告知 %(n)d 家企业") % {"n": told})
        else:
            messages.info(request, _("没有需要您告知的企业"))
        return redirect("policies:detail", pk=pk)


class PolicyApplyView(RoleRequiredMixin, View):
    """An enterprise user applies for a policy online (一站办理)."""

    allowed_roles = (Role.ENTERPRISE,)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = access_policy(request.user, pk)
        form = FulfilmentStepForm(needs=("text",), versioned=False, materials=True)
        return render(request, "policies/apply.html", {"policy": policy, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = access_policy(request.user, pk)
        enterprise = own_enterprise(request.user)
        if enterprise is None:
            raise Http404
        form = FulfilmentStepForm(
            request.POST, request.FILES, needs=("text",), versioned=False, materials=True
        )
        if form.is_valid():
            try:
                entry = actions.apply_for_policy(
                    policy=policy,
                    enterprise=enterprise,
                    actor=acting_user(request),
                    text=form.cleaned_data["text"],
                    materials=form.cleaned_data.get("materials", []),
                    name=form.cleaned_data.get("name", ""),
                    phone=form.cleaned_data.get("phone", ""),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            except (TransitionNotAllowed, StaleVersion) as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("申报已提交，请留意审核进度"))
                return redirect("policies:fulfilment", pk=entry.pk)
        return render(request, "policies/apply.html", {"policy": policy, "form": form}, status=400)


class MaterialDownloadView(RoleRequiredMixin, View):
    """An application's document, for whoever may see the ledger entry (404 otherwise)."""

    allowed_roles = LEDGER_ROLES

    def get(self, request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
        material = access_material(request.user, pk, material_pk)
        return FileResponse(material.file.open("rb"), as_attachment=True, filename=material.name)
