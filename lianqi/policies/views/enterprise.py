"""The policy supermarket's sections of the enterprise's file (一企一档), HTML fragments the
file page loads by itself (`lianqi.core.registry.EnterpriseSection`): the enterprise's
current matches, and its ledger entries with what was approved and paid. The enterprise is
loaded as the register scopes it (404 for one the user may not see)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from lianqi.core.views import RoleRequiredMixin

from .. import queries
from ..permissions import LEDGER_STAFF, MATCH_READERS, access_enterprise, fulfilments_visible, matches_visible


class EnterpriseMatchesView(RoleRequiredMixin, View):
    """The policies the enterprise fits now and those it may fit, with each policy's level
    and the computed amount."""

    allowed_roles = MATCH_READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        matches = queries.matches_of(matches_visible(request.user), enterprise)
        return render(
            request, "policies/enterprise_matches.html", {"enterprise": enterprise, "matches": matches}
        )


class EnterpriseBenefitsView(RoleRequiredMixin, View):
    """The enterprise's ledger entries the user may see: its applications and their state, the
    benefits approved and paid with amounts and dates, and their totals."""

    allowed_roles = LEDGER_STAFF

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        entries = queries.benefits_of(fulfilments_visible(request.user), enterprise)
        context = {"enterprise": enterprise, "entries": entries, "totals": queries.ledger_figures(entries)}
        return render(request, "policies/enterprise_benefits.html", context)
