"""Visit pages: the liaison's phone form (choose a campaign, pick an enterprise — not yet
visited first —, check in, answer), one visit with its answers read on their own version, a
visit's files, and the visits' section of the enterprise's file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped
from lianqi.core.views import RoleRequiredMixin

from .. import actions, queries
from ..choices import CampaignState
from ..forms.visit import VisitForm
from ..models import Campaign, Visit
from ..permissions import (
    MANAGERS,
    READERS,
    RECORDERS,
    access_campaign,
    access_enterprise,
    access_recordable_enterprise,
    access_visit,
)
from ..questionnaire import QuestionType, parse
from ..texts import answer_label

#: The `campaign` parameter of a routine visit, outside any campaign.
ROUTINE = "routine"
SECTION_ROLES = (*MANAGERS, Role.LIAISON)


class VisitCreateView(RoleRequiredMixin, View):
    """The liaison's visit on a phone. Without a campaign chosen it lists the open campaigns
    the user takes part in (the nearest deadline first) and the routine visit; with one, the
    form. A retried submission carries the same idempotency key and lands on the first visit."""

    allowed_roles = RECORDERS

    def _campaign(self, request: HttpRequest, value: str) -> Campaign | None:
        if value == ROUTINE:
            return None
        campaign = access_campaign(request.user, value)
        if campaign.state != CampaignState.OPEN:
            raise Http404
        return campaign

    def _form(
        self, request: HttpRequest, campaign: Campaign | None, data: Any = None, files: Any = None
    ) -> VisitForm:
        version = campaign.questionnaire_version if campaign is not None else None
        initial: dict[str, Any] = {"checked_in_at": timezone.localtime().replace(second=0, microsecond=0)}
        if request.GET.get("enterprise", "").isdigit():
            initial["enterprise"] = int(request.GET["enterprise"])
        return VisitForm(
            data,
            files,
            enterprises=queries.visit_plan(request.user, campaign),
            questionnaire=parse(version.definition) if version is not None else None,
            initial=initial,
        )

    def _render(self, request: HttpRequest, campaign: Campaign | None, form: VisitForm) -> HttpResponse:
        context = {"campaign": campaign, "form": form, "sections": form.sections(), "routine": ROUTINE}
        return render(request, "visits/visit_form.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        value = request.GET.get("campaign", "")
        if not value:
            campaigns = queries.open_campaigns_for(request.user)
            return render(request, "visits/visit_start.html", {"campaigns": campaigns, "routine": ROUTINE})
        campaign = self._campaign(request, value)
        return self._render(request, campaign, self._form(request, campaign))

    def post(self, request: HttpRequest) -> HttpResponse:
        campaign = self._campaign(request, request.GET.get("campaign", ROUTINE))
        form = self._form(request, campaign, request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, campaign, form)
        data = form.cleaned_data
        enterprise = access_recordable_enterprise(request.user, data["enterprise"])
        try:
            visit = actions.record_visit(
                enterprise=enterprise,
                actor=acting_user(request),
                idempotency_key=data["idempotency_key"],
                campaign=campaign,
                answers=form.answers(),
                files=form.files_by_question(),
                checked_in_at=data["checked_in_at"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                location=data["location"],
                people_met=data["people_met"],
                summary=data["summary"],
                details=form.raised_notes("detail"),
                solved=form.raised_notes("solved"),
            )
        except ValidationError as invalid:
            add_action_errors(form, invalid)
            return self._render(request, campaign, form)
        count = visit.raised.count()
        if count:
            messages.success(request, _("走访已记录，提出诉求 %(count)s 条") % {"count": count})
        else:
            messages.success(request, _("走访已记录"))
        return redirect(visit.get_absolute_url())


def _shown_answers(visit: Visit) -> list[tuple[str, list[dict[str, Any]]]]:
    """The visit's answers under the questions of the version they were given on, by section:
    each question's text and its answer in words (a hidden or unanswered question is left out)."""
    if visit.questionnaire_version is None:
        return []
    files = {f.file.name: f for f in visit.files.all()}
    found = []
    for section in parse(visit.questionnaire_version.definition).sections:
        rows = []
        for question in section.questions:
            value = visit.answers.get(question.key)
            if value in (None, "", [], {}):
                continue
            row: dict[str, Any] = {"question": question, "text": "", "rows": [], "files": []}
            if question.type == QuestionType.MULTIPLE:
                row["text"] = "、".join(value)
            elif question.type == QuestionType.MATRIX:
                row["rows"] = list(value.items())
            elif question.type == QuestionType.FILE:
                row["files"] = [files[name] for name in value if name in files]
            elif question.type == QuestionType.NUMBER and question.unit:
                row["text"] = f"{value} {question.unit}"
            else:
                row["text"] = answer_label(str(value))
            rows.append(row)
        found.append((section.title, rows))
    return found


class VisitDetailView(RoleRequiredMixin, View):
    """One visit: who, when, where, whom they met, the answers on their own questionnaire
    version, and the demands they raised with where each stands."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        visit = access_visit(request.user, pk)
        context = {
            "visit": visit,
            "sections": _shown_answers(visit),
            "raised": visit.raised.select_related("demand__category").order_by("pk"),
        }
        return render(request, "visits/visit_detail.html", context)


class VisitFileView(RoleRequiredMixin, View):
    """Download a photo or file of a visit, looked up through the visit (404 for a visit the
    user may not see)."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int, fid: int) -> FileResponse:
        document = get_object_or_404_scoped(access_visit(request.user, pk).files.all(), pk=fid)
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        return FileResponse(handle, filename=document.name)


class VisitEnterpriseSectionView(RoleRequiredMixin, View):
    """The visits' section of the enterprise's file (一企一档): its visits the user may see, an
    HTML fragment the file page loads by itself."""

    allowed_roles = SECTION_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        context = {
            "enterprise": enterprise,
            "rows": queries.for_enterprise(request.user, enterprise)[:20],
            "record_url": f"{reverse('visits:visit_create')}?campaign={ROUTINE}&enterprise={enterprise.pk}"
            if has_role(request.user, RECORDERS)
            else "",
        }
        return render(request, "visits/enterprise_section.html", context)
