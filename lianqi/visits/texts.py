"""The questionnaire engine's messages in the user's language: the engine imports no Django,
so its messages carry a Chinese msgid and parameters, translated here where they are shown."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from .questionnaire import Message
from .questionnaire.definition import NO, YES


def render(message: Message) -> str:
    """One engine message, translated, with its parameters filled in."""
    template = _(message.template)
    return template % message.params if message.params else template


def render_all(messages: Iterable[Message]) -> list[str]:
    return [render(message) for message in messages]


def answer_label(value: str) -> str:
    """How a stored answer is shown: yes/no in words, anything else as it is."""
    if value == YES:
        return _("是")
    if value == NO:
        return _("否")
    return value
