"""Every read of this wing that matters: the list with its filters, an enterprise's items,
the history of one item, and the figures of the home page and of the measures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from lianqi.core.registry import Period
from lianqi.enterprises.models import Enterprise

from .choices import OPEN_STATES
from .filters import LandFilter
from .models import Land, LandEvent
from .permissions import visible


def land_list(user: Any, params: Mapping[str, Any] | None = None) -> LandFilter:
    """The items a user may see through the list's filters (a bad value filters nothing): the
    filter's `form` for the page and its `qs` for the rows, newest first."""
    return LandFilter(params or None, queryset=visible(user).select_related("enterprise"))


def for_enterprise(user: Any, enterprise: Enterprise) -> QuerySet[Land]:
    """The items of one enterprise that the user may see (its section of the enterprise's file)."""
    return visible(user).filter(enterprise=enterprise)


def open_for_enterprise(enterprise: Enterprise) -> QuerySet[Land]:
    """An enterprise's items still under way, as its own code page shows them."""
    return Land.objects.filter(enterprise=enterprise, state__in=OPEN_STATES)


def history(row: Land) -> QuerySet[LandEvent]:
    """An item's events in order, with who acted."""
    return row.events.select_related("actor").order_by("at", "pk")


def open_count(user: Any) -> int:
    """How many items the user may see are still under way (the home page's card)."""
    return visible(user).filter(state__in=OPEN_STATES).count()


def registered_count(jurisdiction_path: str, period: Period) -> int:
    """Items registered in `period` in a jurisdiction and those below it (a measure)."""
    return Land.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path,
        created_at__date__gte=period.start,
        created_at__date__lte=period.end,
    ).count()
