"""The industrial chains' pages: the list with each chain's rate and gaps, one chain's map
(an ECharts tree fed from a JSON block, the nodes with their firms in the park and the city,
the local supporting rate by node with its definition, the missing nodes as targets, output
and growth, the chain leader and the party committee, the chain's open needs and its matching
events) with the office's forms, and the local-purchase subsidy of a year. Thin: reads from
`queries`, writes through `actions`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import scope_queryset
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate
from lianqi.enterprises import creditcode
from lianqi.enterprises import permissions as enterprise_permissions
from lianqi.enterprises.models import Enterprise
from lianqi.policies.models import Policy
from lianqi.policies.queries import version_on

from .. import actions, chainmap, queries
from ..choices import ChainRole, NodeCoverage
from ..forms import (
    ChainFairForm,
    ChainFirmForm,
    ChainNodeForm,
    CommitteeMemberForm,
    MeetingForm,
    SubsidyForm,
)
from ..models import Chain, ChainFirm
from ..permissions import CHAIN_KEEPERS, STAFF, SUBSIDY, access_chain

#: The chain's own words for what the rate means, shown beside it.
RATE_DEFINITION = gettext_lazy(
    "本地配套率 = 链上企业当年向本地供应商（注册在本园区或本市的企业）的采购额 ÷ 其当年采购总额；"
    "按环节计算时为该环节企业的采购，全链计算时每家企业只计一次。数据来自企业填报和发票导入的采购记录。"
)
COVERAGE_CLASS = {
    NodeCoverage.PARK: "bg-green-lt",
    NodeCoverage.CITY: "bg-yellow-lt",
    NodeCoverage.MISSING: "bg-red-lt",
}


class ChainListView(RoleRequiredMixin, View):
    """The chains the user may see, each with its nodes, firms, rate and missing nodes."""

    allowed_roles = STAFF

    def get(self, request: HttpRequest) -> HttpResponse:
        context = paginate(request, queries.chain_list(request.user))
        rows = []
        for chain in context["object_list"]:
            found = queries.chain_map(chain, queries.chain_year(chain))
            rows.append({"chain": chain, "map": found})
        context["rows"] = rows
        jurisdiction = getattr(request.user, "jurisdiction", None)
        if jurisdiction is not None and jurisdiction.level in ("park", "county"):
            context["brochure_url"] = reverse("market:brochure", args=[jurisdiction.code])
        return render(request, "market/chain_list.html", context)


def _year(request: HttpRequest, chain: Chain) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= timezone.localdate().year:
        return int(raw)
    return queries.chain_year(chain)


def _chain_page(request: HttpRequest, chain: Chain, status: int = 200, **forms: Any) -> HttpResponse:
    year = _year(request, chain)
    found = queries.chain_map(chain, year)
    keeper = has_role(request.user, CHAIN_KEEPERS) and actions.may_manage_chain(
        acting_user(request), chain.jurisdiction_path
    )
    nodes = list(chain.nodes.order_by("order", "pk"))
    rows = []
    for figure in found.figures.nodes:
        rows.append(
            {
                "figure": figure,
                "indent": figure.depth * 1.25,
                "park": queries.named_firms(found, figure.node.key, figure.park_firms),
                "city": queries.named_firms(found, figure.node.key, figure.city_firms),
                "coverage": NodeCoverage(figure.coverage).label,
                "coverage_class": COVERAGE_CLASS[NodeCoverage(figure.coverage)],
                "rate": figure.rate,
            }
        )
    context: dict[str, Any] = {
        "chain": chain,
        "found": found,
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "rows": rows,
        "rate": found.figures.rate,
        "growth": found.growth,
        "definition": RATE_DEFINITION,
        "tree": {"roots": queries.chain_tree(found), "labels": {c.value: str(c.label) for c in NodeCoverage}},
        "needs": queries.chain_needs(request.user, chain)[:50],
        "fairs": chain.fairs.order_by("-held_on")[:20],
        "members": chain.members.all(),
        "meetings": chain.meetings.all()[:20],
        "keeper": keeper,
    }
    if keeper:
        context.update(
            node_form=forms.get("node_form") or ChainNodeForm(nodes=nodes, prefix="node"),
            firm_form=forms.get("firm_form") or ChainFirmForm(nodes=nodes, prefix="firm"),
            member_form=forms.get("member_form") or CommitteeMemberForm(prefix="member"),
            meeting_form=forms.get("meeting_form") or MeetingForm(prefix="meeting"),
            fair_form=forms.get("fair_form") or ChainFairForm(prefix="fair"),
        )
    return render(request, "market/chain_detail.html", context, status=status)


class ChainDetailView(RoleRequiredMixin, View):
    """One chain's map (see the module's docstring)."""

    allowed_roles = STAFF

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _chain_page(request, access_chain(request.user, pk))


class ChainExportView(RoleRequiredMixin, View):
    """The chain's map for the year as an Excel file: one row per firm on a node (a node without
    firms gets one row, marked missing), with the node's coverage and local supporting rate."""

    allowed_roles = STAFF

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        chain = access_chain(request.user, pk)
        year = _year(request, chain)
        found = queries.chain_map(chain, year)
        places = {chainmap.PARK: _("园区企业"), chainmap.CITY: _("市内其他企业")}
        roles = dict(ChainRole.choices)
        columns = [
            Column("node", _("环节")),
            Column("coverage", _("状态")),
            Column("rate", _("本地配套率（%）")),
            Column("enterprise", _("企业")),
            Column("role", _("链上角色")),
            Column("place", _("所在地")),
        ]

        def rows() -> Any:
            for figure in found.figures.nodes:
                rate = None if figure.rate is None else (figure.rate * 100).quantize(Decimal("0.01"))
                head = [
                    "　" * figure.depth + figure.node.name,
                    str(NodeCoverage(figure.coverage).label),
                    rate,
                ]
                firms = [*figure.park_firms, *figure.city_firms]
                if not firms:
                    yield [*head, "", "", ""]
                for firm in firms:
                    yield [
                        *head,
                        found.firms[firm]["name"],
                        str(roles.get(found.roles.get((figure.node.key, firm), ""), "")),
                        str(places[found.firms[firm]["place"]]),
                    ]

        return export_xlsx(
            request,
            export="market.chain",
            title=f"{chain.name}-{year}",
            columns=columns,
            rows=rows(),
        )


def _find_enterprise(request: HttpRequest, chain: Chain, text: str) -> Any:
    found = enterprise_permissions.visible(request.user).filter(
        jurisdiction_path__startswith=chain.jurisdiction_path
    )
    code = creditcode.normalise(text)
    rows = list(found.filter(Q(credit_code=code) | Q(name=text.strip()))[:2])
    if len(rows) != 1:
        raise ValidationError({"enterprise": _("没有找到这家企业，请填写企业全称或统一社会信用代码")})
    return rows[0]


class ChainEditView(RoleRequiredMixin, View):
    """The office's changes to a chain, one form each: a node, a firm on a node, a committee
    member, a meeting, a matching event drawn from the chain."""

    allowed_roles = CHAIN_KEEPERS

    def post(self, request: HttpRequest, pk: int, what: str) -> HttpResponse:
        chain = access_chain(request.user, pk)
        actor = acting_user(request)
        nodes = list(chain.nodes.order_by("order", "pk"))
        by_pk = {n.pk: n for n in nodes}
        form: Any
        if what == "node":
            form = ChainNodeForm(request.POST, nodes=nodes, prefix="node")
        elif what == "firm":
            form = ChainFirmForm(request.POST, nodes=nodes, prefix="firm")
        elif what == "member":
            form = CommitteeMemberForm(request.POST, prefix="member")
        elif what == "meeting":
            form = MeetingForm(request.POST, prefix="meeting")
        elif what == "fair":
            form = ChainFairForm(request.POST, prefix="fair")
        else:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                if what == "node":
                    actions.add_node(
                        chain=chain, actor=actor, name=data["name"], parent=by_pk.get(data["parent"])
                    )
                elif what == "firm":
                    enterprise = _find_enterprise(request, chain, data["enterprise"])
                    actions.place_firm(
                        node=by_pk[data["node"]], enterprise=enterprise, role=data["role"], actor=actor
                    )
                elif what == "member":
                    actions.add_member(chain=chain, actor=actor, **data)
                elif what == "meeting":
                    actions.record_meeting(chain=chain, actor=actor, **data)
                else:
                    fair = actions.fair_from_chain(chain=chain, actor=actor, **data)
                    messages.success(request, _("已登记对接会：%(theme)s") % {"theme": fair.theme})
                    return redirect(fair.get_absolute_url())
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已保存"))
                return redirect(chain.get_absolute_url())
        return _chain_page(request, chain, status=400, **{f"{what}_form": form})


class ChainFirmRemoveView(RoleRequiredMixin, View):
    """Take an enterprise off a node."""

    allowed_roles = CHAIN_KEEPERS

    def post(self, request: HttpRequest, pk: int, firm: int) -> HttpResponse:
        chain = access_chain(request.user, pk)
        row = ChainFirm.objects.filter(chain=chain, pk=firm).first()
        if row is None:
            raise Http404
        try:
            actions.remove_firm(firm=row, actor=acting_user(request))
        except ValidationError as invalid:
            for message in invalid.messages:
                messages.error(request, message)
        return redirect(chain.get_absolute_url())


def _subsidy_policies(request: HttpRequest) -> list[Policy]:
    """The active policies the user may see whose rule reads local purchases."""
    found = []
    for policy in scope_queryset(Policy.objects.filter(is_active=True), request.user).order_by("code"):
        version = version_on(policy, timezone.localdate())
        if version is not None and "local_purchase" in str(version.rule):
            found.append(policy)
    return found


class SubsidyView(RoleRequiredMixin, View):
    """The local-purchase subsidy of a year: who is owed how much, computed from the purchase
    records, and (the office, a leader) entering them in the policy's ledger."""

    allowed_roles = SUBSIDY

    def _page(self, request: HttpRequest, form: SubsidyForm, policies: list[Policy]) -> HttpResponse:
        due: list[Any] = []
        policy = None
        if form.is_bound and form.is_valid():
            policy = next((p for p in policies if p.pk == form.cleaned_data["policy"]), None)
            if policy is not None:
                rows = actions.subsidy_due(policy, form.cleaned_data["year"])
                names = dict(
                    Enterprise.objects.filter(pk__in=[r.enterprise for r in rows]).values_list("pk", "name")
                )
                due = [{"name": names.get(r.enterprise, ""), "row": r} for r in rows]
        context = {
            "form": form,
            "policy": policy,
            "due": due,
            "threshold": chainmap.SUBSIDY_THRESHOLD,
            "may_grant": has_role(request.user, (Role.SERVICE_OFFICE, Role.LEADER)),
        }
        return render(request, "market/subsidy.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        policies = _subsidy_policies(request)
        data = request.GET if "policy" in request.GET else None
        initial = {"year": timezone.localdate().year - 1}
        return self._page(request, SubsidyForm(data, policies=policies, initial=initial), policies)

    def post(self, request: HttpRequest) -> HttpResponse:
        policies = _subsidy_policies(request)
        form = SubsidyForm(request.POST, policies=policies)
        if form.is_valid():
            policy = next(p for p in policies if p.pk == form.cleaned_data["policy"])
            try:
                run = actions.grant_local_purchase_subsidy(
                    policy=policy, year=form.cleaned_data["year"], actor=acting_user(request)
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(
                    request,
                    _("已列入兑现台账 %(count)s 家企业，金额 %(amount)s 元")
                    % {"count": len(run.entered), "amount": f"{run.amount:,.2f}"},
                )
                return redirect(
                    reverse("market:subsidy") + f"?policy={policy.pk}&year={form.cleaned_data['year']}"
                )
        return self._page(request, form, policies)
