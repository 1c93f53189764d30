"""The enterprise's electronic questionnaire through its code (`/c/<token>/visits/…`): the open
campaigns that take the enterprise in, the form of one, and a thank-you page. Anyone who
confirmed a phone may fill a form in (`CodeAccess.FILER`); nothing the enterprise answered
before is shown to them — only the enterprise itself (`CodeViewer.member`) sees its earlier
forms. A submission counts toward the campaign's coverage like a visit (channel: the
enterprise's own form) and, like a visit, a retried one is recorded once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lianqi.core.forms import add_action_errors
from lianqi.enterprises.views.code import CodeAccess, CodeTokenMixin, CodeViewer

from .. import actions, queries
from ..forms.visit import CodeVisitForm
from ..models import Campaign
from ..questionnaire import parse
from .recording import _shown_answers


def tile_available(enterprise: Any) -> bool:
    """Whether the code page shows the questionnaire tile: an open campaign takes it in."""
    return bool(queries.open_campaigns_covering(enterprise))


class _CodeVisitMixin(CodeTokenMixin):
    """The open campaigns of the enterprise behind the token, for whoever confirmed a phone."""

    access = CodeAccess.FILER

    def viewer(self) -> CodeViewer:
        viewer = self.contact()
        assert viewer is not None  # `CodeAccess.FILER` let no one else in
        return viewer

    def campaign(self, pk: int) -> Campaign:
        """An open campaign that takes the enterprise in (404 for any other)."""
        for campaign in queries.open_campaigns_covering(self.enterprise):
            if campaign.pk == pk:
                return campaign
        raise Http404


class CodeCampaignListView(_CodeVisitMixin):
    """`/c/<token>/visits/`: the questionnaires the enterprise is asked to fill in; the
    enterprise itself also sees which it has answered, and its answers."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        member = self.viewer().member
        rows = []
        for campaign in queries.open_campaigns_covering(self.enterprise):
            forms = list(queries.enterprise_forms(self.enterprise, campaign)[:5]) if member else []
            rows.append({"campaign": campaign, "forms": forms})
        context = {**self.base_context(), "rows": rows, "member": member}
        return render(request, "visits/code_list.html", context)


class CodeVisitFormView(_CodeVisitMixin):
    """`/c/<token>/visits/<pk>/`: the campaign's questionnaire, filled in by the enterprise.
    Answers are checked as a liaison's are, with the message next to the question."""

    def _form(self, campaign: Campaign, data: Any = None, files: Any = None) -> CodeVisitForm:
        assert campaign.questionnaire_version is not None  # an open campaign has pinned one
        return CodeVisitForm(data, files, questionnaire=parse(campaign.questionnaire_version.definition))

    def _render(self, campaign: Campaign, form: CodeVisitForm) -> HttpResponse:
        context = {**self.base_context(), "campaign": campaign, "form": form, "sections": form.sections()}
        return render(self.request, "visits/code_form.html", context)

    def get(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        campaign = self.campaign(pk)
        return self._render(campaign, self._form(campaign))

    def post(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        campaign = self.campaign(pk)
        form = self._form(campaign, request.POST, request.FILES)
        if not form.is_valid():
            return self._render(campaign, form)
        viewer = self.viewer()
        user = request.user
        # The enterprise's logged-in account files as itself; anyone else through the phone
        # they confirmed.
        actor = (
            user
            if user.is_authenticated and getattr(user, "enterprise_id", None) == self.enterprise.pk
            else None
        )
        try:
            visit = actions.record_visit(
                enterprise=self.enterprise,
                actor=actor,  # type: ignore[arg-type]
                idempotency_key=form.cleaned_data["idempotency_key"],
                campaign=campaign,
                answers=form.answers(),
                files=form.files_by_question(),
                contact_name=viewer.name,
                contact_phone=viewer.phone,
                details=form.raised_notes("detail"),
            )
        except ValidationError as invalid:
            add_action_errors(form, invalid)
            return self._render(campaign, form)
        count = visit.raised.count()
        if count:
            messages.success(request, _("问卷已提交，已向园区提出诉求 %(count)s 条") % {"count": count})
        else:
            messages.success(request, _("问卷已提交，感谢您的配合"))
        done = reverse("codes:visit_done", args=[self.token, campaign.pk])
        return redirect(f"{done}?key={visit.idempotency_key}")


class CodeVisitDoneView(_CodeVisitMixin):
    """`/c/<token>/visits/<pk>/done/`: thanks, and where to follow the demands raised. It names
    nothing of the form itself."""

    def get(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        campaign = self.campaign(pk)
        key = request.GET.get("key", "")[:64]
        context = {**self.base_context(), "campaign": campaign, "key": key}
        return render(request, "visits/code_done.html", context)


class CodeVisitAnswersView(CodeTokenMixin):
    """`/c/<token>/visits/forms/<pk>/`: one of the enterprise's forms with its answers — the
    enterprise's own business (`CodeAccess.MEMBER`)."""

    access = CodeAccess.MEMBER

    def get(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        visit = (
            self.enterprise.visits.select_related("campaign", "questionnaire_version").filter(pk=pk).first()
        )
        if visit is None:
            raise Http404
        context = {**self.base_context(), "visit": visit, "sections": _shown_answers(visit)}
        return render(request, "visits/code_answers.html", context)
