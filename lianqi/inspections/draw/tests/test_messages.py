"""Every message of the engine reads in both languages with the same blanks filled: a
refusal never shows a raw placeholder or loses its numbers in English."""

from __future__ import annotations

import re

from lianqi.inspections.draw import messages as m

TEMPLATES = {name: value for name, value in vars(m).items() if name.isupper() and isinstance(value, str)}


def test_every_message_has_english_with_the_same_placeholders():
    assert set(m.ENGLISH) == set(TEMPLATES.values())
    for template in TEMPLATES.values():
        assert sorted(re.findall(r"%\((\w+)\)s", template)) == sorted(
            re.findall(r"%\((\w+)\)s", m.ENGLISH[template])
        ), template


def test_a_message_renders_in_the_chosen_language():
    message = m.Message(m.TOO_MANY_ENTERPRISES, {"required": 5, "available": 3, "short": 2})
    assert message.render("zh") == "要抽取 5 户企业，企业名录库只有 3 户，少 2 户"
    assert message.render("en") == "The draw asks for 5 enterprises but the pool holds 3: 2 short"
