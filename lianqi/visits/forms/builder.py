"""The questionnaire builder's form: sections and questions as rows of plain fields, read back
into the definition the questionnaire engine reads (`lianqi.visits.questionnaire.definition`).

The page posts one repeated ``item`` field in the order the rows stand on the page: ``s:<id>``
opens a section, ``q:<id>`` is a question of the section opened last, so moving a row (by the
buttons, or without JavaScript by nothing at all) needs no renumbering. A question's settings
are ``q-<id>-<setting>``; a section's title ``s-<id>-title``. The ids only tie a row's fields
together on one page; a question's identity is its key.

`Builder` goes both ways — from a stored definition to rows (`from_definition`), and from a
posted page to rows and a definition (`from_post`) — and hangs the engine's publishing
problems on the row and setting they concern (`attach`), so the page shows each next to what
has to change and everything typed stays on the page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledForm

from ..questionnaire import Message, QuestionType
from ..questionnaire.definition import ANY_FILE, NO, PHOTO, YES, yes_no
from ..texts import answer_label, render

#: The question types as the builder names them, in the order its select lists them.
TYPE_LABELS = [
    (QuestionType.SINGLE, _("单选")),
    (QuestionType.MULTIPLE, _("多选")),
    (QuestionType.TEXT, _("文本")),
    (QuestionType.NUMBER, _("数字")),
    (QuestionType.YES_NO, _("是非")),
    (QuestionType.DATE, _("日期")),
    (QuestionType.FILE, _("照片或文件")),
    (QuestionType.MATRIX, _("评分矩阵")),
]
ACCEPT_LABELS = [(ANY_FILE, _("照片或 PDF 文件")), (PHOTO, _("仅照片"))]
#: The settings the builder has a field for; any other a stored question carries (written
#: through the JSON view or the API, such as ``max_length``) rides along untouched.
_HANDLED = frozenset(
    {
        "key",
        "type",
        "text",
        "required",
        "help",
        "options",
        "unit",
        "min",
        "max",
        "rows",
        "columns",
        "accept",
        "show_if",
        "raises",
    }
)
_ID = re.compile(r"^[A-Za-z0-9_]{1,40}$")
_CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.YES_NO)


class QuestionnaireMetaForm(StyledForm):
    """The questionnaire's name and description, above its rows."""

    title = forms.CharField(label=_("问卷名称"), max_length=100)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


@dataclass
class QuestionRow:
    """One question card: its settings as the page shows them (strings and lists of strings,
    exactly as typed) and the messages that concern each setting."""

    id: str
    key: str = ""
    type: str = QuestionType.SINGLE
    text: str = ""
    required: bool = False
    help: str = ""
    options: list[str] = field(default_factory=list)
    unit: str = ""
    min: str = ""
    max: str = ""
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    accept: str = ANY_FILE
    show_if: str = ""
    show_values: list[str] = field(default_factory=list)
    raises: list[tuple[str, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    #: Its position in the whole questionnaire (from 1), as the engine's messages count.
    number: int = 0
    #: For the page: the earlier questions its condition may pick, as (key, label), and the
    #: answers of the one picked, as (value, label).
    earlier: list[tuple[str, str]] = field(default_factory=list)
    condition_choices: list[tuple[str, str]] = field(default_factory=list)

    @property
    def options_text(self) -> str:
        return "\n".join(self.options)

    @property
    def rows_text(self) -> str:
        return "\n".join(self.rows)

    @property
    def columns_text(self) -> str:
        return "\n".join(self.columns)

    @property
    def extra_json(self) -> str:
        return json.dumps(self.extra, ensure_ascii=False) if self.extra else ""

    def raise_choices(self) -> list[tuple[str, str]]:
        """The answers a demand mapping may pick, with any a mapping names already that is
        not among them (kept, for the problems to name)."""
        found = self.choices()
        values = {v for v, _label in found}
        return found + [(a, a) for a, _c in self.raises if a and a not in values]

    def choices(self) -> list[tuple[str, str]]:
        """The answers this question may take, as (stored value, label): what a later question's
        condition and this question's demand mappings pick from."""
        if self.type == QuestionType.YES_NO:
            return [(YES, str(answer_label(YES))), (NO, str(answer_label(NO)))]
        if self.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            return [(o, o) for o in self.options]
        return []

    def to_definition(self) -> dict[str, Any]:
        """The stored question: only the settings its type uses."""
        data: dict[str, Any] = {**self.extra, "key": self.key, "type": self.type, "text": self.text}
        if self.required:
            data["required"] = True
        if self.help:
            data["help"] = self.help
        if self.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            data["options"] = list(self.options)
        if self.type == QuestionType.NUMBER:
            if self.unit:
                data["unit"] = self.unit
            for name in ("min", "max"):
                if getattr(self, name) != "":
                    data[name] = _bound(getattr(self, name))
        if self.type == QuestionType.MATRIX:
            data["rows"], data["columns"] = list(self.rows), list(self.columns)
        if self.type == QuestionType.FILE:
            data["accept"] = self.accept
        if self.show_if:
            values = list(self.show_values)
            data["show_if"] = (
                {"question": self.show_if, "equals": values[0]}
                if len(values) == 1
                else {"question": self.show_if, "in": values}
            )
        if self.type in _CHOICE_TYPES and self.raises:
            data["raises"] = [{"answer": a, "category": c} for a, c in self.raises]
        return data


@dataclass
class SectionRow:
    """One section card: its title, its questions and the messages about the section."""

    id: str
    title: str = ""
    questions: list[QuestionRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _bound(value: str) -> Any:
    """A range bound as stored: a whole number as a JSON number, a decimal as its exact text
    (never a float), and anything else as typed, for the engine to say it is no number."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if number.is_finite() and number == number.to_integral_value() and "." not in value:
        return int(number)
    return value


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [_text(v) for v in value if _text(v)]


class Builder:
    """A questionnaire's rows on the builder page, with the definition they make."""

    def __init__(self, sections: list[SectionRow], categories: Iterable[str] = ()) -> None:
        self.sections = sections
        self.categories = list(categories)
        self.problems: list[str] = []
        #: Problems that concern no one row (the questionnaire has no section at all).
        self.general: list[str] = []
        number = 0
        before: list[QuestionRow] = []
        for section in sections:
            for question in section.questions:
                number += 1
                question.number = number
                self._condition_lists(question, before)
                before.append(question)

    @staticmethod
    def _condition_lists(question: QuestionRow, before: list[QuestionRow]) -> None:
        # Only choice questions can be conditions; a target that is not one (or is not earlier)
        # is still listed when picked, so the page keeps it and the problems name it.
        question.earlier = [
            (q.key, f"{q.number}. {q.text or q.key}")
            for q in before
            if q.key and (q.type in _CHOICE_TYPES or q.key == question.show_if)
        ]
        if question.show_if and question.show_if not in {k for k, _label in question.earlier}:
            question.earlier.append((question.show_if, question.show_if))
        target = next((q for q in before if q.key == question.show_if), None)
        choices = target.choices() if target is not None else []
        values = {v for v, _label in choices}
        question.condition_choices = choices + [(v, v) for v in question.show_values if v not in values]

    # --- reading -----------------------------------------------------------------------------

    @classmethod
    def from_definition(cls, definition: Any, categories: Iterable[str] = ()) -> Builder:
        """The rows of a stored definition (what cannot be read as rows is left out)."""
        raw_sections = definition.get("sections") if isinstance(definition, Mapping) else None
        raw_sections = (
            [s if isinstance(s, Mapping) else {} for s in raw_sections or ()]
            if isinstance(raw_sections, list)
            else []
        )
        rows = [
            [q if isinstance(q, Mapping) else {} for q in s.get("questions") or ()]
            if isinstance(s.get("questions"), list)
            else []
            for s in raw_sections
        ]
        # A condition on a yes/no question may be written 是/否: read as the engine reads it.
        types = {_text(q.get("key")): _text(q.get("type")) for questions in rows for q in questions}
        sections = []
        for s_index, (raw, questions) in enumerate(zip(raw_sections, rows, strict=True), start=1):
            section = SectionRow(id=f"s{s_index}", title=_text(raw.get("title")))
            for q_index, data in enumerate(questions, 1):
                section.questions.append(cls._question_from(data, f"s{s_index}q{q_index}", types))
            sections.append(section)
        return cls(sections, categories)

    @staticmethod
    def _question_from(data: Mapping[str, Any], row_id: str, types: Mapping[str, str]) -> QuestionRow:
        kind = _text(data.get("type")) or QuestionType.TEXT
        condition = data.get("show_if") if isinstance(data.get("show_if"), Mapping) else None
        values: list[str] = []
        if condition is not None:
            if "in" in condition:
                values = _strings(condition.get("in"))
            elif condition.get("equals") is not None:
                values = [_text(condition.get("equals"))]
            if types.get(_text(condition.get("question"))) == QuestionType.YES_NO:
                values = [yes_no(v) or v for v in values]
        raises = []
        for item in data.get("raises") or ():
            if isinstance(item, Mapping):
                answer = _text(item.get("answer"))
                if kind == QuestionType.YES_NO:
                    answer = yes_no(answer) or answer
                raises.append((answer, _text(item.get("category"))))
        bounds = {n: "" if data.get(n) is None else _text(data.get(n)) for n in ("min", "max")}
        return QuestionRow(
            id=row_id,
            key=_text(data.get("key")),
            type=kind,
            text=_text(data.get("text")),
            required=bool(data.get("required", False)),
            help=_text(data.get("help")),
            options=_strings(data.get("options")),
            unit=_text(data.get("unit")),
            min=bounds["min"],
            max=bounds["max"],
            rows=_strings(data.get("rows")),
            columns=_strings(data.get("columns")),
            accept=PHOTO if _text(data.get("accept")) == PHOTO else ANY_FILE,
            show_if=_text(condition.get("question")) if condition is not None else "",
            show_values=values,
            raises=raises,
            extra={k: v for k, v in data.items() if k not in _HANDLED},
        )

    @classmethod
    def from_post(cls, data: Any, categories: Iterable[str] = ()) -> Builder:
        """The rows as the page posted them, in the order they stood; a question before any
        section opens one without a title."""
        sections: list[SectionRow] = []
        for item in data.getlist("item"):
            kind, _sep, row_id = str(item).partition(":")
            if not _ID.match(row_id):
                continue
            if kind == "s":
                sections.append(SectionRow(id=row_id, title=data.get(f"s-{row_id}-title", "").strip()))
            elif kind == "q":
                if not sections:
                    sections.append(SectionRow(id="s0"))
                sections[-1].questions.append(cls._question_posted(data, row_id))
        return cls(sections, categories)

    @staticmethod
    def _question_posted(data: Any, row_id: str) -> QuestionRow:
        def get(name: str) -> str:
            return str(data.get(f"q-{row_id}-{name}", "")).strip()

        def many(name: str) -> list[str]:
            return [str(v).strip() for v in data.getlist(f"q-{row_id}-{name}")]

        kind = get("type") or QuestionType.TEXT
        raises = [
            (answer, category)
            for answer, category in zip(many("raise_answer"), many("raise_category"), strict=False)
            if answer or category
        ]
        try:
            extra = json.loads(get("extra") or "{}")
        except ValueError:
            extra = {}
        return QuestionRow(
            id=row_id,
            key=get("key"),
            type=kind,
            text=get("text"),
            required=bool(data.get(f"q-{row_id}-required")),
            help=get("help"),
            options=_lines(get("options")),
            unit=get("unit"),
            min=get("min"),
            max=get("max"),
            rows=_lines(get("rows")),
            columns=_lines(get("columns")),
            accept=PHOTO if get("accept") == PHOTO else ANY_FILE,
            show_if=get("show_if"),
            show_values=[v for v in many("show_values") if v],
            raises=raises,
            extra={k: v for k, v in extra.items() if k not in _HANDLED} if isinstance(extra, dict) else {},
        )

    # --- writing -----------------------------------------------------------------------------

    def definition(self) -> dict[str, Any]:
        """The definition the rows make, as `actions.save_questionnaire` stores it."""
        return {
            "sections": [
                {"title": s.title, "questions": [q.to_definition() for q in s.questions]}
                for s in self.sections
            ]
        }

    def questions(self) -> list[QuestionRow]:
        return [q for s in self.sections for q in s.questions]

    def attach(self, problems: Iterable[Message]) -> None:
        """Hang each publishing problem on the question and setting it concerns (found by the
        question's position, which every question's message carries), or on its section; the
        full list stays in `problems` for the summary above the rows."""
        questions = self.questions()
        for message in problems:
            text = render(message)
            self.problems.append(text)
            number = message.params.get("number")
            section = message.params.get("section")
            if isinstance(number, int) and 1 <= number <= len(questions) and message.field:
                questions[number - 1].errors.setdefault(message.field, []).append(text)
            elif isinstance(section, int) and 1 <= section <= len(self.sections):
                self.sections[section - 1].errors.append(text)
            else:
                self.general.append(text)

    # --- for the page ------------------------------------------------------------------------

    def category_names(self) -> list[str]:
        """The categories a mapping may pick: the active ones, and any a mapping names already
        (kept so nothing is lost; the problems say it no longer exists)."""
        names = list(self.categories)
        for question in self.questions():
            for _answer, category in question.raises:
                if category and category not in names:
                    names.append(category)
        return names

    def catalogue(self) -> dict[str, Any]:
        """What the page's script needs to fill the condition and mapping selects."""
        return {
            "categories": self.category_names(),
            "yes_no": [[YES, str(answer_label(YES))], [NO, str(answer_label(NO))]],
        }
