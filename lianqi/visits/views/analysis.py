"""A campaign's analysis: per-question statistics with bar charts, the demands its answers
raised, the liaisons who are behind (and reminding them), the texts answered to one question,
and the campaign's forms as Excel and its summary as a Word document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.privacy import Holder, PhonePolicy, Tie
from lianqi.core.roles import has_role
from lianqi.core.views import RoleRequiredMixin, document_download, export_xlsx, paginate, search_query

from .. import actions, queries
from ..choices import CampaignState, VisitChannel
from ..documents import campaign_summary
from ..models import Campaign
from ..permissions import ANALYSTS, MANAGERS, access_analysable_campaign
from ..questionnaire import QuestionType
from ..questionnaire.analysis import answer_cells

# How many of the liaisons behind the analysis page names before pointing to the full table.
BEHIND_SHOWN = 10


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return access_analysable_campaign(request.user, pk)


class AnalysisView(RoleRequiredMixin, View):
    """The analysis page of a published campaign."""

    allowed_roles = ANALYSTS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = _campaign(request, pk)
        today = timezone.localdate()
        behind = queries.liaisons_behind(campaign, today)
        context: dict[str, Any] = {
            "campaign": campaign,
            "analysis": queries.campaign_analysis(campaign),
            "coverage": queries.coverage(campaign),
            # The furthest behind only: the whole list is the campaign page's table by liaison.
            "behind": behind[:BEHIND_SHOWN],
            "behind_more": max(len(behind) - BEHIND_SHOWN, 0),
            "expected": queries.expected_rate(campaign, today),
            "may_remind": campaign.state == CampaignState.OPEN and has_role(request.user, MANAGERS),
            "export_url": reverse("visits:campaign_export", args=[campaign.pk]),
            "summary_url": reverse("visits:campaign_summary", args=[campaign.pk]),
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


class ExportView(RoleRequiredMixin, View):
    """The campaign's forms as Excel: one row per form, one column per question (a matrix one
    per row), after the enterprise, the liaison and their phone (masked by the one phone rule),
    the check-in date and the channel."""

    allowed_roles = ANALYSTS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = _campaign(request, pk)
        answers = queries.export_columns(campaign)
        columns = [
            Column("enterprise", _("企业名称")),
            Column("credit_code", _("统一社会信用代码")),
            Column("liaison", _("走访干部")),
            Column("liaison_phone", _("干部手机号")),
            Column("date", _("走访日期")),
            Column("channel", _("采集方式")),
            *(Column(column.key, column.title) for column in answers),
        ]
        user = acting_user(request)
        phones = PhonePolicy(user, Holder.STAFF)
        channels = {value: str(label) for value, label in VisitChannel.choices}
        labels = (_("是"), _("否"))

        def rows() -> Iterator[list[Any]]:
            for name, code, liaison, phone, liaison_user, path, at, channel, values in queries.export_forms(
                campaign
            ):
                ties = (Tie.SELF,) if liaison_user is not None and liaison_user == user.pk else ()
                yield [
                    name,
                    code,
                    liaison or "",
                    phones.show(phone, ties, path=path),
                    timezone.localtime(at).date(),
                    channels.get(channel, channel),
                    *answer_cells(answers, values, labels),
                ]

        return export_xlsx(
            request,
            export="visits.forms",
            title=_("走访问卷"),
            columns=columns,
            rows=rows(),
            masked={"liaison_phone"} if phones.masks_column else (),
            filename=f"{campaign.title}-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
        )


class SummaryView(RoleRequiredMixin, View):
    """The campaign's summary as a Word document."""

    allowed_roles = ANALYSTS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = _campaign(request, pk)
        content = campaign_summary(campaign, queries.coverage(campaign), queries.campaign_analysis(campaign))
        return document_download(content, f"{campaign.title}-{_('走访总结')}.docx")
