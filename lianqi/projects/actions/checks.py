"""The checks the project actions share: amounts in yuan to the fen, and dates in order. Each
raises a `ValidationError` naming the field, so a form or the API shows it next to that field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianqi.policies.money import MAX_YUAN


def amount(value: Any, field: str, *, positive: bool = False) -> Decimal:
    """`value` as yuan with at most two decimals, not negative (more than zero with `positive`),
    below the largest amount stored exactly; a third decimal is refused, never rounded."""
    try:
        yuan = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("请填写金额（元）")}) from None
    if not yuan.is_finite():
        raise ValidationError({field: _("请填写金额（元）")})
    if yuan.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({field: _("金额最多精确到分（两位小数）")})
    if yuan < 0 or (positive and yuan == 0):
        raise ValidationError({field: _("金额须大于零") if positive else _("金额不能为负数")})
    if yuan > MAX_YUAN:
        raise ValidationError({field: _("金额超出可登记的范围")})
    return yuan


def not_before(later: dt.date | None, earlier: dt.date | None, field: str, message: str) -> None:
    """Refuse `later` (named by `field`) when it comes before `earlier`."""
    if later is not None and earlier is not None and later < earlier:
        raise ValidationError({field: message})
