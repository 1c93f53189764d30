"""Answers against their questionnaire: which questions are shown (a question whose condition
is not met, or whose condition's question is itself hidden, is neither required nor kept),
whether each answer fits its question, and which demand categories the answers raise.

Answers are a mapping of question key to value: a string for single choice, text, number,
yes/no and date; a list of strings for multiple choice and files; a mapping of row to column
for a rating matrix. Clean values are JSON: numbers are kept as the exact decimal string
typed (never a float), yes/no as "yes"/"no", dates as YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from . import messages as m
from .definition import Question, Questionnaire, QuestionType, yes_no
from .messages import Message

Answers = Mapping[str, Any]


@dataclass
class Checked:
    """The outcome of checking answers: the clean values of the shown questions that were
    answered, and the messages of each question that was answered wrongly (or not at all)."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[Message]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Raised:
    """A demand the answers raise: which question, what was answered, which category."""

    question: str
    text: str
    answer: str
    category: str


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping):
        return not any(not _blank(v) for v in value.values())
    if isinstance(value, Sequence):
        return not any(not _blank(v) for v in value)
    return False


def _choice_value(question: Question, value: Any) -> Any:
    """A choice answer as the condition and the mapping compare it (yes/no as YES/NO)."""
    if question.type == QuestionType.YES_NO:
        return yes_no(value)
    if question.type == QuestionType.MULTIPLE:
        return [str(v).strip() for v in value] if isinstance(value, list | tuple) else []
    return str(value).strip() if value is not None else ""


def _meets(question: Question, value: Any, wanted: Sequence[str]) -> bool:
    got = _choice_value(question, value)
    if isinstance(got, list):
        return any(v in wanted for v in got)
    return got in wanted


def shown(questionnaire: Questionnaire, answers: Answers) -> set[str]:
    """The keys of the questions shown for these answers, in one pass: a condition always
    points to an earlier question, whose being shown is already known."""
    keys: set[str] = set()
    by_key = questionnaire.by_key()
    for question in questionnaire.questions():
        condition = question.show_if
        if condition is not None:
            target = by_key.get(condition.question)
            if (
                target is None
                or target.key not in keys
                or not _meets(target, answers.get(target.key), condition.values)
            ):
                continue
        keys.add(question.key)
    return keys


def _number(question: Question, value: Any) -> tuple[Any, list[Message]]:
    if isinstance(value, bool):
        return None, [Message(m.NOT_A_NUMBER)]
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None, [Message(m.NOT_A_NUMBER)]
    if not number.is_finite():
        return None, [Message(m.NOT_A_NUMBER)]
    if question.min is not None and number < question.min:
        return None, [Message(m.BELOW_MIN, {"min": question.min})]
    if question.max is not None and number > question.max:
        return None, [Message(m.ABOVE_MAX, {"max": question.max})]
    return str(number), []


def _single(question: Question, value: Any) -> tuple[Any, list[Message]]:
    text = str(value).strip()
    if text not in question.options:
        return None, [Message(m.NOT_AN_OPTION, {"value": text})]
    return text, []


def _multiple(question: Question, value: Any) -> tuple[Any, list[Message]]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return None, [Message(m.NOT_A_LIST)]
    picked = [str(v).strip() for v in value if str(v).strip()]
    wrong = [Message(m.NOT_AN_OPTION, {"value": v}) for v in picked if v not in question.options]
    # Kept in the questionnaire's order, once each, whatever order they were sent in.
    return ([o for o in question.options if o in picked], []) if not wrong else (None, wrong)


def _yes_no(question: Question, value: Any) -> tuple[Any, list[Message]]:
    answer = yes_no(value)
    return (answer, []) if answer is not None else (None, [Message(m.NOT_YES_NO)])


def _date(question: Question, value: Any) -> tuple[Any, list[Message]]:
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat(), []
    except ValueError:
        return None, [Message(m.NOT_A_DATE)]


def _text(question: Question, value: Any) -> tuple[Any, list[Message]]:
    if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
        return None, [Message(m.NOT_TEXT)]
    text = str(value).strip()
    if len(text) > question.max_length:
        return None, [Message(m.TEXT_TOO_LONG, {"max": question.max_length})]
    return text, []


def _files(question: Question, value: Any) -> tuple[Any, list[Message]]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return None, [Message(m.NOT_FILES)]
    return [v for v in value if v.strip()], []


def _matrix(question: Question, value: Any) -> tuple[Any, list[Message]]:
    if not isinstance(value, Mapping):
        value = {}
    rated: dict[str, str] = {}
    found: list[Message] = []
    for row in question.rows:
        cell = str(value.get(row) or "").strip()
        if not cell:
            if question.required:
                found.append(Message(m.MATRIX_ROW_MISSING, {"row": row}))
        elif cell not in question.columns:
            found.append(Message(m.MATRIX_BAD_VALUE, {"row": row, "value": cell}))
        else:
            rated[row] = cell
    return (rated, []) if not found else (None, found)


_CHECKS = {
    QuestionType.SINGLE: _single,
    QuestionType.MULTIPLE: _multiple,
    QuestionType.TEXT: _text,
    QuestionType.NUMBER: _number,
    QuestionType.YES_NO: _yes_no,
    QuestionType.DATE: _date,
    QuestionType.FILE: _files,
    QuestionType.MATRIX: _matrix,
}


def check(questionnaire: Questionnaire, answers: Answers) -> Checked:
    """Check `answers` against `questionnaire`: the shown questions' answers are checked by
    type and range, a shown required question left blank is an error, and answers to hidden
    or unknown questions are dropped."""
    result = Checked()
    visible = shown(questionnaire, answers)
    for question in questionnaire.questions():
        if question.key not in visible:
            continue
        value = answers.get(question.key)
        if _blank(value) and not (question.type == QuestionType.MATRIX and isinstance(value, Mapping)):
            if question.required:
                result.errors[question.key] = [Message(m.REQUIRED, question=question.key)]
            continue
        clean, errors = _CHECKS[QuestionType(question.type)](question, value)
        if errors:
            result.errors[question.key] = [Message(e.template, e.params, question.key) for e in errors]
        elif not _blank(clean):
            result.values[question.key] = clean
    return result


def raised(questionnaire: Questionnaire, values: Answers) -> list[Raised]:
    """The demands that clean answers raise, in the questionnaire's order: one per mapping
    whose answer was given to a shown question (a multiple choice may raise several)."""
    found: list[Raised] = []
    visible = shown(questionnaire, values)
    for question in questionnaire.questions():
        if question.key not in visible or question.key not in values:
            continue
        for mapping in question.raises:
            if _meets(question, values[question.key], (mapping.answer,)):
                found.append(Raised(question.key, question.text, mapping.answer, mapping.category))
    return found
