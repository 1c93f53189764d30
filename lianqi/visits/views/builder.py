"""The questionnaire builder — sections and questions as cards, each type showing only its own
settings — and the previews of a questionnaire as the liaison's phone form and as the
enterprise's code form show it.

Saving goes through `actions.save_questionnaire` like every other edit: a questionnaire in use
gets its next version, and answers keep theirs. A definition that cannot be published yet is
saved all the same (work in progress); every reason it cannot is shown next to the question
and setting it concerns, and "检查" checks without saving. A refused save sends the page back
with everything typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.views import RoleRequiredMixin

from .. import actions, queries
from ..actions.campaigns import active_categories
from ..forms.builder import (
    ACCEPT_LABELS,
    TYPE_LABELS,
    Builder,
    QuestionnaireMetaForm,
    QuestionRow,
    SectionRow,
)
from ..forms.visit import CodeVisitForm, VisitForm
from ..models import Questionnaire, QuestionnaireVersion
from ..permissions import BUILDERS, access_questionnaire
from ..questionnaire import parse, problems
from .questionnaires import STARTER

#: Who a preview shows the questionnaire as, and the page it borrows the template of.
#: The id of the blank rows, replaced by the script with a fresh one for every row it adds.
BLANK = "__ID__"
AUDIENCES = {"liaison": "visits/visit_form.html", "enterprise": "visits/code_form.html"}


def _categories() -> list[str]:
    return sorted(active_categories())


class QuestionnaireBuilderView(RoleRequiredMixin, View):
    """Create a questionnaire (no `pk`) or edit its newest version card by card."""

    allowed_roles = BUILDERS

    def _row(self, pk: int | None) -> Questionnaire | None:
        return access_questionnaire(self.request.user, pk) if pk is not None else None

    def _render(
        self,
        form: QuestionnaireMetaForm,
        builder: Builder,
        row: Questionnaire | None,
        *,
        checked: bool = False,
    ) -> HttpResponse:
        latest = row.latest_version() if row is not None else None
        context = {
            "form": form,
            "builder": builder,
            "row": row,
            "latest": latest,
            "in_use": latest is not None and queries.version_in_use(latest),
            "versions": queries.questionnaire_versions(row) if row is not None else [],
            "checked": checked,
            "type_labels": TYPE_LABELS,
            "accept_labels": ACCEPT_LABELS,
            "catalogue": builder.catalogue(),
            # The rows the page's script copies when a section or a question is added.
            "blank_section": SectionRow(id=BLANK),
            "blank_question": QuestionRow(id=BLANK),
        }
        return render(self.request, "visits/questionnaire_builder.html", context)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        row = self._row(pk)
        categories = _categories()
        if row is None:
            form = QuestionnaireMetaForm()
            return self._render(form, Builder.from_definition(STARTER, categories), None)
        definition = row.latest_version().definition
        builder = Builder.from_definition(definition, categories)
        builder.attach(problems(parse(definition), set(categories)))
        form = QuestionnaireMetaForm(initial={"title": row.title, "description": row.description})
        return self._render(form, builder, row, checked=True)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        row = self._row(pk)
        categories = _categories()
        form = QuestionnaireMetaForm(request.POST)
        builder = Builder.from_post(request.POST, categories)
        definition = builder.definition()
        builder.attach(problems(parse(definition), set(categories)))
        if "check" in request.POST or not form.is_valid():
            form.is_valid()  # the name's own message shows with the rows' problems
            return self._render(form, builder, row, checked=True)
        user = acting_user(request)
        try:
            version = actions.save_questionnaire(
                questionnaire=row,
                jurisdiction=getattr(user, "jurisdiction", None),
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                definition=definition,
                actor=user,
            )
        except ValidationError as invalid:
            add_action_errors(form, invalid)
            return self._render(form, builder, row, checked=True)
        if builder.problems:
            messages.warning(
                request,
                _("问卷已保存（第 %(number)s 版），但还不能发布：请按各题旁的提示修改")
                % {"number": version.number},
            )
        else:
            messages.success(request, _("问卷已保存（第 %(number)s 版）") % {"number": version.number})
        return redirect(reverse("visits:questionnaire_edit", args=[version.questionnaire_id]))


class _PreviewRequest:
    """What a preview shows: a saved version (GET, the newest unless ``?version=``), or the
    builder's rows as they stand, unsaved (POST from the builder page)."""

    def __init__(self, request: HttpRequest, pk: int | None) -> None:
        self.row = access_questionnaire(request.user, pk) if pk is not None else None
        self.version: QuestionnaireVersion | None = None
        if request.method == "POST":
            self.definition: Any = Builder.from_post(request.POST).definition()
            self.title = request.POST.get("title", "").strip() or (self.row.title if self.row else "")
            self.description = request.POST.get("description", "").strip()
            return
        if self.row is None:
            raise Http404
        wanted = request.GET.get("version", "")
        versions = self.row.versions.all()
        self.version = (
            versions.filter(number=int(wanted)).first()
            if wanted.isdigit()
            else versions.order_by("-number").first()
        )
        if self.version is None:
            raise Http404
        self.definition = self.version.definition
        self.title, self.description = self.row.title, self.row.description


class QuestionnairePreviewView(RoleRequiredMixin, View):
    """A questionnaire as the liaison (the phone visit form) or the enterprise (the code
    e-form) will see it, drawn by those pages' own templates, conditions working; nothing can
    be sent from it and no draft is kept."""

    allowed_roles = BUILDERS

    def _show(self, request: HttpRequest, pk: int | None, audience: str) -> HttpResponse:
        if audience not in AUDIENCES:
            raise Http404
        shown = _PreviewRequest(request, pk)
        questionnaire = parse(shown.definition)
        form: VisitForm
        if audience == "liaison":
            form = VisitForm(enterprises=[], questionnaire=questionnaire)
        else:
            form = CodeVisitForm(questionnaire=questionnaire)
        # The pages read their campaign's name and description; a preview has no campaign yet.
        campaign = {
            "pk": "preview",
            "title": shown.title,
            "questionnaire": {"description": shown.description},
        }
        context = {
            "form": form,
            "sections": form.sections(),
            "campaign": campaign,
            "preview": {
                "audience": audience,
                "row": shown.row,
                "version": shown.version,
                "other": "enterprise" if audience == "liaison" else "liaison",
            },
        }
        return render(request, AUDIENCES[audience], context)

    def get(self, request: HttpRequest, audience: str, pk: int | None = None) -> HttpResponse:
        return self._show(request, pk, audience)

    def post(self, request: HttpRequest, audience: str, pk: int | None = None) -> HttpResponse:
        return self._show(request, pk, audience)
