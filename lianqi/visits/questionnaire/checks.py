"""Whether a questionnaire can be answered, before it is published: every reason it cannot,
each naming its question, in the order of the questionnaire."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from . import messages as m
from .definition import CHOICE_TYPES, Question, Questionnaire, QuestionType, parse
from .messages import Message

_KEY = re.compile(r"^[A-Za-z0-9_]+$")


def _named(question: Question) -> dict[str, Any]:
    return {"number": question.number, "text": question.text or question.key}


def _question_problems(question: Question, earlier: dict[str, Question], later: set[str]) -> list[Message]:
    """What is wrong with one question, given the questions asked before it and after it."""
    found: list[Message] = []
    named = _named(question)

    def add(template: str, field: str, **params: Any) -> None:
        found.append(Message(template, {**named, **params}, question.key, field))

    if not question.text:
        add(m.NO_TEXT, "text", key=question.key)
    if question.type not in set(QuestionType):
        add(m.UNKNOWN_TYPE, "type", key=question.key, type=question.type)
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if not question.options:
            add(m.NO_OPTIONS, "options")
        for option in sorted({o for o in question.options if question.options.count(o) > 1}):
            add(m.DUPLICATE_OPTION, "options", option=option)
    if question.type == QuestionType.NUMBER:
        for bound in question.bad_bounds:
            add(m.BAD_BOUND, "range", bound=m.MIN if bound == "min" else m.MAX)
        if question.min is not None and question.max is not None and question.min > question.max:
            add(m.MIN_ABOVE_MAX, "range", min=question.min, max=question.max)
    if question.type == QuestionType.MATRIX and (not question.rows or not question.columns):
        add(m.MATRIX_EMPTY, "matrix")
    condition = question.show_if
    if condition is not None:
        target = earlier.get(condition.question)
        if target is None and (condition.question in later or condition.question == question.key):
            add(m.CONDITION_LATER, "show_if", target=condition.question)
        elif target is None:
            add(m.CONDITION_MISSING, "show_if", target=condition.question or "—")
        elif target.type not in CHOICE_TYPES:
            add(m.CONDITION_BAD_TARGET, "show_if")
        else:
            for value in condition.values or ("",):
                if value not in target.choices:
                    add(m.CONDITION_BAD_VALUE, "show_if", value=value, target=target.key)
    if question.raises and question.type not in CHOICE_TYPES:
        add(m.RAISES_BAD_TYPE, "raises")
    elif question.raises:
        for mapping in question.raises:
            if mapping.answer not in question.choices:
                add(m.RAISES_BAD_ANSWER, "raises", value=mapping.answer)
            if not mapping.category:
                add(m.RAISES_NO_CATEGORY, "raises")
    return found


def problems(questionnaire: Questionnaire, categories: Collection[str] | None = None) -> list[Message]:
    """Every reason `questionnaire` cannot be published. With `categories` (the active demand
    categories' names), a mapping to a category outside them is one too."""
    if questionnaire.malformed:
        return [Message(m.NOT_A_MAPPING)]
    if not questionnaire.sections:
        return [Message(m.NO_SECTIONS)]
    found: list[Message] = []
    all_keys = [q.key for q in questionnaire.questions()]
    earlier: dict[str, Question] = {}
    for index, section in enumerate(questionnaire.sections, start=1):
        if not section.questions:
            found.append(Message(m.SECTION_EMPTY, {"section": index, "title": section.title or "—"}))
        for question in section.questions:
            if not question.key:
                found.append(Message(m.NO_KEY, {"number": question.number}, field="key"))
            elif not _KEY.match(question.key):
                found.append(
                    Message(m.BAD_KEY, {"number": question.number, "key": question.key}, question.key, "key")
                )
            elif question.key in earlier:
                # The number (unused by the text) tells an editor which of the two to mark.
                params = {"key": question.key, "number": question.number}
                found.append(Message(m.DUPLICATE_KEY, params, question.key, "key"))
            later = set(all_keys[question.number :])
            found.extend(_question_problems(question, earlier, later))
            if categories is not None:
                for mapping in question.raises:
                    if mapping.category and mapping.category not in categories:
                        found.append(
                            Message(
                                m.UNKNOWN_CATEGORY,
                                {**_named(question), "category": mapping.category},
                                question.key,
                                "raises",
                            )
                        )
            if question.key:
                earlier.setdefault(question.key, question)
    return found


def publish_problems(data: Any, categories: Collection[str] | None = None) -> list[Message]:
    """Every reason the stored definition `data` cannot be published (empty: it can)."""
    return problems(parse(data), categories)
