"""Filter pieces shared by the API's FilterSets."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from rest_framework.filters import OrderingFilter

from .errors import InvalidQuery

#: The largest id a database row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A filter on an object's id. Bounded and whole, so that a mangled value is a 400 naming
    the parameter rather than a database overflow."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` that refuses a field it cannot sort by, naming the ones it can, instead of
    silently returning the default order."""

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> Any:
        raw = request.query_params.get(self.ordering_param)
        if raw:
            asked = [term.strip() for term in raw.split(",") if term.strip()]
            valid = self.remove_invalid_fields(queryset, asked, view, request)
            if len(valid) != len(asked):
                known = "、".join(
                    name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
                )
                raise InvalidQuery(
                    {
                        self.ordering_param: [
                            _("不能按此排序；可用的字段：%(known)s（前加“-”为倒序）") % {"known": known}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)


#: What a boolean filter reads; anything else is refused rather than silently ignored.
BOOLEAN_WORDS = {"true", "false", "1", "0"}
#: The largest magnitude a decimal filter compares against: beyond it no stored figure lies, and
#: the database would overflow.
MAX_DECIMAL = Decimal("1e15")
_WHOLE = re.compile(r"[+-]?\d+")


def _integer_field(model: type[models.Model] | None, field_name: str) -> bool:
    """Whether `field_name` (possibly a lookup path) ends on an integer column or a relation."""
    if model is None or not field_name:
        return False
    parts = field_name.split("__")
    try:
        for part in parts[:-1]:
            model = model._meta.get_field(part).related_model  # type: ignore[assignment]
            if model is None:
                return False
        field = model._meta.get_field(parts[-1])  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return parts[-1].endswith("id")
    return isinstance(field, models.IntegerField | models.AutoField | models.ForeignKey)


def filter_value_errors(filterset: Any) -> dict[str, list[str]]:
    """The query parameters a FilterSet would misread, each with why: a boolean that is not one,
    an id or count that is not a whole number within 64 bits, a number that is not finite or
    beyond any stored figure, any of these left empty. django-filter would ignore the first (returning unfiltered rows)
    and hand the others to the database (an overflow, a 500) or round them (1.5 read as 1)."""
    errors: dict[str, list[str]] = {}
    model = getattr(filterset.queryset, "model", None)
    for name, declared in filterset.filters.items():
        raw = filterset.data.get(name)
        if raw is None:
            continue
        raw = str(raw).strip()
        # An empty search text matches everything; any other empty filter (`?policy=`,
        # `?level=`) is a value the client meant to send and did not: leaving the parameter out
        # is how to ask for "any".
        if raw == "":
            if isinstance(declared, django_filters.CharFilter):
                continue
            if not isinstance(
                declared,
                django_filters.BooleanFilter | django_filters.NumberFilter | django_filters.ModelChoiceFilter,
            ):
                errors[name] = [_("请填写一个值，或不传此参数")]
                continue
        if isinstance(declared, django_filters.BooleanFilter):
            if raw.lower() not in BOOLEAN_WORDS:
                errors[name] = [_("请填写 true 或 false")]
        elif isinstance(declared, django_filters.ModelChoiceFilter) or (
            isinstance(declared, django_filters.NumberFilter) and _integer_field(model, declared.field_name)
        ):
            if not _WHOLE.fullmatch(raw) or not -MAX_ID - 1 <= int(raw) <= MAX_ID:
                errors[name] = [_("请填写整数")]
        elif isinstance(declared, django_filters.NumberFilter):
            try:
                number = Decimal(raw)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite() or abs(number) >= MAX_DECIMAL:
                errors[name] = [_("请填写有效的数字")]
    return errors
