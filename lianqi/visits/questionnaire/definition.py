"""A questionnaire as plain data: sections of questions, each with its type, whether it must be
answered, its help text, the condition under which it is shown and the answers that raise a
demand. `parse` reads the JSON definition stored with each questionnaire version; it never
raises on a bad definition but keeps what it could read, and `checks.publish_problems` says
what is wrong.

The stored definition::

    {"sections": [{"title": "融资情况", "questions": [
        {"key": "q4", "type": "yes_no", "text": "是否有融资需求", "required": true},
        {"key": "q5", "type": "number", "text": "融资金额", "unit": "万元", "min": 0, "max": 100000,
         "show_if": {"question": "q4", "equals": "yes"}},
        {"key": "q6", "type": "single", "text": "…", "options": ["…", "…"],
         "raises": [{"answer": "…", "category": "融资困难"}]},
        {"key": "q7", "type": "file", "text": "现场照片", "accept": "photo"}]}]}
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


class QuestionType(enum.StrEnum):
    """The kinds of question a questionnaire may ask."""

    SINGLE = "single"  # one of the options
    MULTIPLE = "multiple"  # any of the options
    TEXT = "text"
    NUMBER = "number"  # with an optional unit and range
    YES_NO = "yes_no"  # stored as "yes" / "no"
    DATE = "date"  # ISO date, YYYY-MM-DD
    FILE = "file"  # photos or files: the stored files' names
    MATRIX = "matrix"  # each row rated on the same scale of columns


#: Types whose answers come from a fixed list, which conditions and demand mappings may name.
CHOICE_TYPES = frozenset({QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.YES_NO})
YES, NO = "yes", "no"
#: What a file question takes: photos only, or photos and documents (the default).
PHOTO, ANY_FILE = "photo", "file"
#: What a yes/no answer, condition or mapping may be written as; stored as YES or NO.
YES_NO_WORDS = {
    "yes": YES,
    "是": YES,
    "true": YES,
    "1": YES,
    "no": NO,
    "否": NO,
    "false": NO,
    "0": NO,
}


def yes_no(value: Any) -> str | None:
    """`value` as YES or NO, or None when it is neither."""
    if isinstance(value, bool):
        return YES if value else NO
    if value is None:
        return None
    return YES_NO_WORDS.get(str(value).strip().lower())


@dataclass(frozen=True)
class Condition:
    """Show a question only when question `question` was answered with one of `values` (for a
    multiple choice: when one of `values` was among the options picked)."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Raise:
    """Answering `answer` raises a demand of category `category` (a name in the demands'
    catalogue, e.g. 融资困难)."""

    answer: str
    category: str


@dataclass(frozen=True)
class Question:
    """One question. `number` is its position in the whole questionnaire (from 1), which
    messages name; `options` are the choices (single, multiple), `rows` and `columns` the
    matrix's items and scale."""

    key: str
    type: str
    text: str
    number: int
    required: bool = False
    help: str = ""
    options: tuple[str, ...] = ()
    unit: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    rows: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    show_if: Condition | None = None
    raises: tuple[Raise, ...] = ()
    max_length: int = 2000
    accept: str = ANY_FILE  # file questions: PHOTO or ANY_FILE
    # Bounds as written when they are not numbers, kept so the checks can name them.
    bad_bounds: tuple[str, ...] = ()

    @property
    def choices(self) -> tuple[str, ...]:
        """The answers a choice question may take (yes/no: YES and NO)."""
        if self.type == QuestionType.YES_NO:
            return (YES, NO)
        return self.options


@dataclass(frozen=True)
class Section:
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    """Sections of questions, in the order they are asked."""

    sections: tuple[Section, ...] = ()
    # The definition could not be read at all (not a mapping, or its sections not a list).
    malformed: bool = False

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def by_key(self) -> dict[str, Question]:
        """Each question by its key (the first, where a key was repeated)."""
        found: dict[str, Question] = {}
        for question in self.questions():
            found.setdefault(question.key, question)
        return found


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return ()
    return tuple(_text(v) for v in value if _text(v))


def _bound(value: Any) -> tuple[Decimal | None, bool]:
    """A range bound as a Decimal, and whether it was written but is no number."""
    if value is None or value == "":
        return None, False
    if isinstance(value, bool):
        return None, True
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None, True
    return (number, False) if number.is_finite() else (None, True)


def _condition(value: Any, target_type: str | None) -> Condition | None:
    if not isinstance(value, Mapping):
        return None
    target = _text(value.get("question"))
    if "in" in value:
        values = _strings(value.get("in"))
    else:
        values = (_text(value.get("equals")),) if value.get("equals") is not None else ()
    if target_type == QuestionType.YES_NO:
        values = tuple(yes_no(v) or v for v in values)
    return Condition(target, values)


def _question(data: Any, number: int, types: Mapping[str, str]) -> Question:
    data = data if isinstance(data, Mapping) else {}
    kind = _text(data.get("type"))
    bounds = {name: _bound(data.get(name)) for name in ("min", "max")}
    show_if = data.get("show_if")
    target_type = types.get(_text(show_if.get("question"))) if isinstance(show_if, Mapping) else None
    raises: list[Raise] = []
    for item in data.get("raises") or ():
        if isinstance(item, Mapping):
            answer = _text(item.get("answer"))
            if kind == QuestionType.YES_NO:
                answer = yes_no(answer) or answer
            raises.append(Raise(answer, _text(item.get("category"))))
    max_length = data.get("max_length")
    return Question(
        key=_text(data.get("key")),
        type=kind,
        text=_text(data.get("text")),
        number=number,
        required=bool(data.get("required", False)),
        help=_text(data.get("help")),
        options=_strings(data.get("options")),
        unit=_text(data.get("unit")),
        min=bounds["min"][0],
        max=bounds["max"][0],
        rows=_strings(data.get("rows")),
        columns=_strings(data.get("columns")),
        show_if=_condition(show_if, target_type),
        raises=tuple(raises),
        max_length=max_length if isinstance(max_length, int) and max_length > 0 else 2000,
        accept=PHOTO if _text(data.get("accept")) == PHOTO else ANY_FILE,
        bad_bounds=tuple(name for name, (_n, bad) in bounds.items() if bad),
    )


def parse(data: Any) -> Questionnaire:
    """The questionnaire of a stored definition, read as far as it can be; what is wrong with
    it is `checks.publish_problems`' business."""
    if not isinstance(data, Mapping) or not isinstance(data.get("sections"), list):
        return Questionnaire(malformed=True)
    raw_sections = [s if isinstance(s, Mapping) else {} for s in data["sections"]]
    # Conditions on a yes/no question may be written 是/否; their targets' types are read first.
    types = {
        _text(q.get("key")): _text(q.get("type"))
        for s in raw_sections
        for q in (s.get("questions") or ())
        if isinstance(q, Mapping)
    }
    sections = []
    number = 0
    for raw in raw_sections:
        questions = []
        raw_questions = raw.get("questions")
        for item in raw_questions if isinstance(raw_questions, list) else ():
            number += 1
            questions.append(_question(item, number, types))
        sections.append(Section(_text(raw.get("title")), tuple(questions)))
    return Questionnaire(tuple(sections))
