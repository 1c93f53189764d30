"""Reads of the enterprise register that pages, exports and the API share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .filters import EnterpriseFilter
from .models import Enterprise
from .permissions import visible


def enterprise_list(user: Any, params: Any) -> tuple[EnterpriseFilter, QuerySet[Enterprise]]:
    """The enterprises a user may see, filtered, searched and sorted by `params`."""
    base = visible(user).select_related("industry", "liaison", "liaison__department")
    filterset = EnterpriseFilter(params, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    if not params.get("sort"):
        queryset = queryset.order_by("name", "pk")
    return filterset, queryset
