"""Validators shared by the pages' forms and the API's serializers, so that a value refused on
a page is refused in the API with the same message, and the reverse."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: The range every whole number a form or serializer takes is checked against unless it names a
#: narrower one: it fits any integer column, so a number no column holds (2**63, 10**40) is a
#: message next to the field rather than an overflow in the database.
MIN_INTEGER = -(2**31)
MAX_INTEGER = 2**31 - 1

#: Characters that take no room on screen: a name made of them looks empty but is not.
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
#: No enterprise was founded before this year: an earlier date is a typing error.
EARLIEST_DATE = dt.date(1800, 1, 1)


def visible_text(value: str) -> str:
    """`value` without invisible characters and without whitespace at either end."""
    return INVISIBLE.sub("", value).strip()


def validate_visible(value: str) -> None:
    """Refuses text with no visible character (only spaces, zero-width characters …)."""
    if value and not visible_text(value):
        raise ValidationError(_("请填写可见的文字，不能只有空格或不可见字符"), code="invisible")


def validate_past_date(value: dt.date) -> None:
    """A date that has happened: not after today (Shanghai) and not before 1800."""
    if value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天"), code="future")
    if value < EARLIEST_DATE:
        raise ValidationError(_("日期不能早于 1800 年"), code="too_early")
