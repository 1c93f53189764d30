"""Django validators for enterprise fields, with messages a clerk understands."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lianqi.core.validators import validate_past_date, validate_visible
from lianqi.org.models import Staff

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


def validate_liaison(staff: Staff, jurisdiction_path: str) -> None:
    """An enterprise's liaison is a cadre on duty whose jurisdiction lies on the enterprise's
    line (above it, at it or below it). The register checks it when it files or imports an
    enterprise with a liaison, the liaison layout whenever it assigns one."""
    if not staff.is_active:
        raise ValidationError({"liaison": _("%(name)s 已离岗，不能担任联企干部") % {"name": staff.name}})
    if not jurisdiction_path.startswith(staff.jurisdiction_path) and not staff.jurisdiction_path.startswith(
        jurisdiction_path
    ):
        raise ValidationError({"liaison": _("%(name)s 不在该企业所在辖区") % {"name": staff.name}})


#: An enterprise's head count beyond which the figure is certainly a typing error.
MAX_EMPLOYEES = 10_000_000

# One set of validators per field, given to the page's form and to the API's serializers alike.
NAME_VALIDATORS = [validate_visible]
FOUNDED_ON_VALIDATORS = [validate_past_date]
REGISTERED_CAPITAL_VALIDATORS = [MinValueValidator(0, message=_lazy("注册资本不能为负数"))]
EMPLOYEES_VALIDATORS = [
    MinValueValidator(0, message=_lazy("从业人数不能为负数")),
    MaxValueValidator(MAX_EMPLOYEES, message=_lazy("从业人数不能超过 %(limit_value)s")),
]
