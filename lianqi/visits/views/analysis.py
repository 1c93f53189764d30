"""A campaign's analysis: per-question statistics with bar charts, the demands its answers
raised, the liaisons who are behind (and reminding them), the texts answered to one question,
and the campaign's forms as Excel and its summary as a Word document."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.roles import has_role
from lianqi.core.views import RoleRequiredMixin, paginate, search_query

from .. import actions, queries
from ..choices import CampaignState
from ..models import Campaign
from ..permissions import ANALYSTS, MANAGERS, access_campaign
from ..questionnaire import QuestionType


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = access_campaign(request.user, pk)
    if campaign.state == CampaignState.DRAFT:
        raise Http404
    return campaign


class AnalysisView(RoleRequiredMixin, View):
    """The analysis page of a published campaign."""

    allowed_roles = ANALYSTS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = _campaign(request, pk)
        today = timezone.localdate()
        context: dict[str, Any] = {
            "campaign": campaign,
            "analysis": queries.campaign_analysis(campaign),
            "coverage": queries.coverage(campaign),
            "behind": queries.liaisons_behind(campaign, today),
            "expected": queries.expected_rate(campaign, today),
            "may_remind": has_role(request.user, MANAGERS),
        }
        return render(request, "visits/campaign_analysis.html", context)


class TextAnswersView(RoleRequiredMixin, View):
    """The texts the forms of a campaign answered to one question, searched and paged."""

    allowed_roles = ANALYSTS

    def get(self, request: HttpRequest, pk: int, key: str) -> HttpResponse:
        campaign = _campaign(request, pk)
        question = None
        for version in queries.campaign_versions(campaign).values():
            question = question or version.by_key().get(key)
        if question is None or question.type != QuestionType.TEXT:
            raise Http404
        search = search_query(request, "search")[:100]
        context = paginate(request, queries.text_answers(campaign, key, search), default_size=20)
        context.update({"campaign": campaign, "question": question, "search": search})
        return render(request, "visits/campaign_texts.html", context)


class RemindView(RoleRequiredMixin, View):
    """Remind every liaison who is behind in the campaign (an in-app message each)."""

    allowed_roles = MANAGERS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = _campaign(request, pk)
        now = timezone.now()
        behind = queries.liaisons_behind(campaign, timezone.localdate(now))
        try:
            sent = actions.remind_liaisons(
                campaign=campaign, liaisons=[row.staff for row in behind], actor=acting_user(request), at=now
            )
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("已提醒 %(count)s 名联企干部") % {"count": len(sent)})
        return redirect("visits:campaign_analysis", pk=campaign.pk)
