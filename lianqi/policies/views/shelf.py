"""The shelf (政策超市): browse and search, the filtered shelf as a workbook, a policy with its
conditions in plain Chinese, and an enterprise's own policies with reasons (一键智配)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.excel import Column
from lianqi.core.roles import STAFF_ROLES, Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate, url_if_allowed
from lianqi.core.views.pickers import PickerView
from lianqi.org.permissions import departments_visible

from .. import queries
from ..forms.shelf import PolicyFilterForm
from ..models import Policy
from ..permissions import (
    access_policy,
    fulfilments_visible,
    matches_visible,
    own_enterprise,
    policies_visible,
)

READ_ROLES = (*STAFF_ROLES, Role.ENTERPRISE)


def _filtered(request: HttpRequest) -> tuple[PolicyFilterForm, Any]:
    form = PolicyFilterForm(request.GET or None, departments=departments_visible(request.user))
    queryset = queries.policy_list(policies_visible(request.user), day=timezone.localdate(), **form.filters())
    return form, queryset


class PolicyListView(RoleRequiredMixin, View):
    """The supermarket shelf (一网尽享): every policy that applies where the user works,
    searchable in Chinese and filtered by level, kind, department and validity."""

    allowed_roles = READ_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        form, queryset = _filtered(request)
        context = paginate(request, queryset)
        context.update(
            {
                "filter_form": form,
                "is_staff": has_role(request.user, STAFF_ROLES),
                "create_url": url_if_allowed(request.user, "policies:create"),
            }
        )
        template = "policies/_list_table.html" if request.headers.get("HX-Request") else "policies/list.html"
        return render(request, template, context)


def policy_columns() -> list[Column]:
    return [
        Column("code", _("政策编号")),
        Column("title", _("政策名称")),
        Column("level", _("政策层级")),
        Column("kind", _("政策类型")),
        Column("department", _("主管部门")),
        Column("issuer", _("发文单位")),
        Column("document_number", _("文号")),
        Column("in_force", _("现行有效")),
        Column("no_application", _("免申即享")),
        Column("eligible", _("符合企业数")),
        Column("unknown", _("待定企业数")),
    ]


class PolicyExportView(RoleRequiredMixin, View):
    """The filtered shelf as an Excel file."""

    allowed_roles = tuple(STAFF_ROLES)

    def get(self, request: HttpRequest) -> HttpResponse:
        _form, queryset = _filtered(request)
        yes, no = _("是"), _("否")
        rows = (
            (
                p.code,
                p.title,
                p.get_level_display(),
                p.get_kind_display(),
                p.department.name if p.department else "",
                p.issuer,
                p.document_number,
                yes if p.in_force else no,
                yes if p.no_application else no,
                p.eligible_count,
                p.unknown_count,
            )
            for p in queryset
        )
        return export_xlsx(
            request, export="policies.shelf", title=_("政策清单"), columns=policy_columns(), rows=rows
        )


#: Who may tell matched enterprises of a policy (the ledger's `notify` step).
NOTIFY_ROLES = (Role.SERVICE_OFFICE, Role.DEPARTMENT_HANDLER)


class PolicyDetailView(RoleRequiredMixin, View):
    """A policy: what it gives, its conditions in plain Chinese, its versions; for staff how
    many of their enterprises fit it; for an enterprise user its own verdict and why."""

    allowed_roles = READ_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = access_policy(request.user, pk)
        day = timezone.localdate()
        version = queries.version_on(policy, day)
        outline, benefit = queries.rule_outline(version, day=day) if version is not None else ([], "")
        staff = has_role(request.user, STAFF_ROLES)
        context: dict[str, Any] = {
            "policy": policy,
            "version": version,
            "outline": outline,
            "benefit": benefit,
            "versions": queries.versions_of(policy) if staff else [],
        }
        if staff:
            context["counts"] = queries.match_counts(policy, matches_visible(request.user))
        enterprise = own_enterprise(request.user)
        if enterprise is not None:
            fit, miss = queries.policy_fit(enterprise, policy, day=day)
            context["fit"] = fit
            context["miss"] = miss
            context["can_apply"] = (
                fit is not None
                and version is not None
                and policy.needs_application
                and not policy.no_application
            )
        if path_visible(request.user, policy.jurisdiction_path):
            context["workbench_url"] = url_if_allowed(request.user, "policies:workbench", policy.pk)
        if policy.no_application:
            context["beneficiaries_url"] = url_if_allowed(request.user, "policies:beneficiaries", policy.pk)
        ledger_url = url_if_allowed(request.user, "policies:ledger")
        if ledger_url and staff:
            context["ledger_url"] = f"{ledger_url}?policy={policy.pk}"
        if has_role(request.user, NOTIFY_ROLES):
            context["to_notify"] = queries.awaiting_notice(
                fulfilments_visible(request.user), policy=policy, period=day.year
            ).count()
        return render(request, "policies/detail.html", context)


class PoliciesForMeView(RoleRequiredMixin, View):
    """一键智配: the enterprise's policies — those it fits with the amount, those it may fit
    (missing data or a declaration to make), and the near misses naming the one condition and
    the gap — each with its reasons."""

    allowed_roles = (Role.ENTERPRISE,)

    def get(self, request: HttpRequest) -> HttpResponse:
        enterprise = own_enterprise(request.user)
        if enterprise is None:
            raise Http404
        found = queries.policies_for(enterprise, day=timezone.localdate())
        return render(request, "policies/for_me.html", {"enterprise": enterprise, "found": found})


class PolicyPickerView(PickerView):
    """The searchable policy pickers' answer: policies that apply where the user works, by
    title or number, each with its level (titles repeat from one level to the next)."""

    search_fields = ("title", "code")
    ordering = ("title", "pk")

    def rows(self, request: HttpRequest) -> QuerySet[Policy]:
        return policies_visible(request.user).only("pk", "title", "level")

    def label(self, obj: Any) -> str:
        return str(obj.title_with_level)
