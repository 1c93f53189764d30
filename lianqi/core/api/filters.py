"""Filter pieces shared by the API's FilterSets."""

from __future__ import annotations

from typing import Any

import django_filters
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
