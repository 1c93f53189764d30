"""Django validators for enterprise fields, with messages a clerk understands."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import creditcode


def credit_code_message(value: str) -> str | None:
    """The message for a bad credit code, or None when it is valid."""
    found = creditcode.problem(creditcode.normalise(value))
    if found is None:
        return None
    if found.code == "length":
        return _("统一社会信用代码应为18位，实际为%(n)d位") % {"n": found.length}
    if found.code == "charset":
        return _("第%(pos)d位字符“%(ch)s”不是合法字符（不使用 I、O、S、V、Z）") % {
            "pos": found.position,
            "ch": found.character,
        }
    if found.code == "division":
        return _("第3至8位应为登记管理机关行政区划码（6位数字）")
    return _("校验码错误：最后一位应为“%(expected)s”，而不是“%(got)s”") % {
        "expected": found.expected,
        "got": found.character,
    }


def validate_credit_code(value: str) -> None:
    message = credit_code_message(value)
    if message:
        raise ValidationError(message, code="credit_code")
