"""Questionnaire pages: the list, and the editor (name and definition as JSON), which says on
every save what would stop the questionnaire from being published."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset
from lianqi.core.views import RoleRequiredMixin, paginate

from .. import actions
from ..forms.campaigns import QuestionnaireForm
from ..models import Questionnaire
from ..permissions import BUILDERS
from ..questionnaire import publish_problems
from ..texts import render_all

#: A questionnaire's definition when it is first created: one section, one question.
STARTER = {
    "sections": [
        {
            "title": "基本情况",
            "questions": [
                {"key": "q1", "type": "yes_no", "text": "企业当前是否有需要协调解决的困难", "required": True}
            ],
        }
    ]
}


class QuestionnaireListView(RoleRequiredMixin, View):
    """The questionnaires of the user's jurisdiction, with their newest version."""

    allowed_roles = BUILDERS

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = scope_queryset(Questionnaire.objects.all(), request.user).prefetch_related("versions")
        return render(
            request, "visits/questionnaire_list.html", paginate(request, rows.order_by("-created_at"))
        )


class QuestionnaireEditView(RoleRequiredMixin, View):
    """Create a questionnaire (no `pk`) or edit one: a save of a version in use makes the next
    version. The reasons it could not be published yet are listed after every save."""

    allowed_roles = BUILDERS

    def _render(
        self, request: HttpRequest, form: QuestionnaireForm, row: Questionnaire | None
    ) -> HttpResponse:
        problems: list[str] = []
        if row is not None and not form.is_bound:
            problems = render_all(publish_problems(row.latest_version().definition))
        context = {"form": form, "row": row, "problems": problems}
        return render(request, "visits/questionnaire_form.html", context)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        row = None
        initial = {"definition": json.dumps(STARTER, ensure_ascii=False, indent=2)}
        if pk is not None:
            row = get_object_or_404_scoped(scope_queryset(Questionnaire.objects.all(), request.user), pk=pk)
            definition = row.latest_version().definition
            initial = {
                "title": row.title,
                "description": row.description,
                "definition": json.dumps(definition, ensure_ascii=False, indent=2),
            }
        return self._render(request, QuestionnaireForm(initial=initial), row)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        row = None
        if pk is not None:
            row = get_object_or_404_scoped(scope_queryset(Questionnaire.objects.all(), request.user), pk=pk)
        form = QuestionnaireForm(request.POST)
        if form.is_valid():
            user = acting_user(request)
            try:
                version = actions.save_questionnaire(
                    questionnaire=row,
                    jurisdiction=getattr(user, "jurisdiction", None),
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    definition=form.cleaned_data["definition"],
                    actor=user,
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("问卷已保存（第 %(number)s 版）") % {"number": version.number})
                return redirect(reverse("visits:questionnaire_edit", args=[version.questionnaire_id]))
        return self._render(request, form, row)
