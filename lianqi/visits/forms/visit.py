"""The liaison's visit form, on a phone: the enterprise, the check-in, whom they met, and the
questionnaire built from the version the campaign pinned — one field per question named
``answer_<key>`` (a matrix: one per row), and for each answer that raises a demand, the
liaison's detail and an optional on-the-spot solution. The form only collects what was typed;
the answers are checked by the questionnaire engine inside `actions.record_visit`, whose
messages come back next to their question."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import MultipleFileField, StyledForm

from ..actions.recording import raised_key
from ..questionnaire import Question, Questionnaire, QuestionType
from ..questionnaire.definition import NO, PHOTO, YES
from ..texts import answer_label


def answer_field(key: str) -> str:
    return f"answer_{key}"


def matrix_field(key: str, index: int) -> str:
    return f"answer_{key}__{index}"


def detail_field(question: str, answer: str) -> str:
    return f"detail__{question}__{answer}"


def solved_field(question: str, answer: str) -> str:
    return f"solved__{question}__{answer}"


def _question_field(question: Question) -> forms.Field:
    label = question.text + (f"（{question.unit}）" if question.unit else "")
    common: dict[str, Any] = {"label": label, "required": False, "help_text": question.help}
    kind = question.type
    if kind == QuestionType.SINGLE:
        return forms.ChoiceField(
            choices=[(o, o) for o in question.options], widget=forms.RadioSelect, **common
        )
    if kind == QuestionType.YES_NO:
        return forms.ChoiceField(
            choices=[(YES, answer_label(YES)), (NO, answer_label(NO))], widget=forms.RadioSelect, **common
        )
    if kind == QuestionType.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(o, o) for o in question.options], widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionType.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if kind == QuestionType.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == QuestionType.FILE:
        field = MultipleFileField(**common)
        field.widget.attrs["accept"] = "image/*" if question.accept == PHOTO else "image/*,.pdf"
        return field
    if kind == QuestionType.MATRIX:
        # The rows are fields of their own; this hidden one carries the question's messages.
        return forms.CharField(widget=forms.HiddenInput, required=False)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=question.max_length, **common)


@dataclass
class QuestionBlock:
    """What the template shows for one question: the question, its field(s), its condition and
    the demands its answers may raise (each with its detail and on-the-spot fields)."""

    question: Question
    field: Any
    rows: list[tuple[str, Any]] = field(default_factory=list)
    raises: list[dict[str, Any]] = field(default_factory=list)


class VisitForm(StyledForm):
    """One visit: which enterprise, the check-in and whom they met; the questionnaire's fields
    are added from its definition (`questionnaire`), none when the visit is a routine one."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    enterprise = forms.TypedChoiceField(label=_("走访企业"), coerce=int, choices=())
    checked_in_at = forms.DateTimeField(
        label=_("签到时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    location = forms.CharField(label=_("签到地点"), required=False, max_length=200)
    latitude = forms.CharField(widget=forms.HiddenInput, required=False)
    longitude = forms.CharField(widget=forms.HiddenInput, required=False)
    people_met = forms.CharField(
        label=_("接待人员"), required=False, max_length=200, help_text=_("姓名和职务，如：王总经理、李财务")
    )
    summary = forms.CharField(label=_("走访情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    #: Whether a raised demand may be marked solved on the spot (the liaison's form only).
    on_the_spot = True

    def __init__(
        self, *args: Any, enterprises: list[Any], questionnaire: Questionnaire | None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.fields["enterprise"].choices = [("", _("请选择企业"))] + [  # type: ignore[attr-defined]
            (e.pk, f"{e.name}{_('（已走访）') if getattr(e, 'visited', False) else ''}") for e in enterprises
        ]
        for question in questionnaire.questions() if questionnaire else ():
            self.fields[answer_field(question.key)] = _question_field(question)
            if question.type == QuestionType.MATRIX:
                for index, row in enumerate(question.rows):
                    self.fields[matrix_field(question.key, index)] = forms.ChoiceField(
                        label=row,
                        required=False,
                        choices=[(c, c) for c in question.columns],
                        widget=forms.RadioSelect,
                    )
            for mapping in question.raises:
                self.fields[detail_field(question.key, mapping.answer)] = forms.CharField(
                    label=_("诉求说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
                if self.on_the_spot:
                    self.fields[solved_field(question.key, mapping.answer)] = forms.CharField(
                        label=_("当即解决的办法（已当场解决时填写，诉求直接办结）"),
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 2}),
                    )
        # Restyled: the fields above were added after the mixin styled the base fields.
        for form_field in self.fields.values():
            widget = form_field.widget
            if "class" not in widget.attrs:
                radio = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
                widget.attrs["class"] = "form-check-input" if radio else "form-control"

    def sections(self) -> list[tuple[str, list[QuestionBlock]]]:
        """The questionnaire's sections with each question's bound fields, for the template."""
        if self.questionnaire is None:
            return []
        found = []
        for section in self.questionnaire.sections:
            blocks = []
            for question in section.questions:
                block = QuestionBlock(question, self[answer_field(question.key)])
                if question.type == QuestionType.MATRIX:
                    block.rows = [
                        (row, self[matrix_field(question.key, i)]) for i, row in enumerate(question.rows)
                    ]
                for mapping in question.raises:
                    block.raises.append(
                        {
                            "answer": mapping.answer,
                            "label": answer_label(mapping.answer),
                            "category": mapping.category,
                            "detail": self[detail_field(question.key, mapping.answer)],
                            "solved": self[solved_field(question.key, mapping.answer)]
                            if self.on_the_spot
                            else None,
                        }
                    )
                blocks.append(block)
            found.append((section.title, blocks))
        return found

    def answers(self) -> dict[str, Any]:
        """What was typed, by question key, as the questionnaire engine reads it."""
        data = self.cleaned_data
        found: dict[str, Any] = {}
        for question in self.questionnaire.questions() if self.questionnaire else ():
            if question.type == QuestionType.FILE:
                continue
            if question.type == QuestionType.MATRIX:
                found[question.key] = {
                    row: data.get(matrix_field(question.key, i)) or "" for i, row in enumerate(question.rows)
                }
            else:
                found[question.key] = data.get(answer_field(question.key))
        return found

    def files_by_question(self) -> dict[str, list[Any]]:
        return {
            q.key: self.cleaned_data.get(answer_field(q.key)) or []
            for q in (self.questionnaire.questions() if self.questionnaire else ())
            if q.type == QuestionType.FILE
        }

    def raised_notes(self, prefix: str) -> dict[str, str]:
        """The liaison's detail (``prefix="detail"``) or on-the-spot solution (``"solved"``) of
        each raised demand, by `actions.recording.raised_key`."""
        found = {}
        for question in self.questionnaire.questions() if self.questionnaire else ():
            for mapping in question.raises:
                text = self.cleaned_data.get(f"{prefix}__{question.key}__{mapping.answer}") or ""
                if text.strip():
                    found[raised_key(question.key, mapping.answer)] = text
        return found


class CodeVisitForm(VisitForm):
    """The enterprise's own electronic form through its code: only the questionnaire (and a
    word on each demand it raises). Who filled it is the confirmed phone; when is now; a raised
    demand goes to the park to be handled, never solved on the spot by the enterprise."""

    on_the_spot = False
    #: What only a liaison's visit records.
    LIAISON_ONLY = (
        "enterprise",
        "checked_in_at",
        "location",
        "latitude",
        "longitude",
        "people_met",
        "summary",
    )

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, enterprises=[], questionnaire=questionnaire, **kwargs)
        for name in self.LIAISON_ONLY:
            del self.fields[name]
