"""Reads of the Open311 interface: the services it offers, the requests a key sees (filtered
as the specification says, newest first) and the enterprise a new request is filed for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import QuerySet

from lianqi.demands.choices import DemandState
from lianqi.demands.models import Category, Demand
from lianqi.enterprises.models import Enterprise

from .models import Open311Key
from .permissions import REQUEST_RELATED, visible

#: Service codes are category keys; nothing longer is looked up.
MAX_SERVICE_DIGITS = 9


def services() -> QuerySet[Category]:
    """The demand categories in use, as the service list shows them."""
    return Category.objects.filter(is_active=True).order_by("order", "name")


def service(code: str) -> Category | None:
    """The category in use whose pk is the service code, or None (for anything else)."""
    code = code.strip()
    if not code.isdigit() or len(code) > MAX_SERVICE_DIGITS:
        return None
    return services().filter(pk=int(code)).first()


def requests_for(key: Open311Key) -> QuerySet[Demand]:
    """Every demand the key sees, with what an answer shows."""
    return visible(key).select_related(*REQUEST_RELATED)


def requests_by_id(key: Open311Key, ids: Sequence[int]) -> QuerySet[Demand]:
    """The key's demands among `ids` (the specification: a list of ids overrides every filter)."""
    return requests_for(key).filter(pk__in=ids)


def requests_matching(
    key: Open311Key,
    *,
    start: dt.datetime,
    end: dt.datetime,
    service_codes: Sequence[int] = (),
    closed: bool | None = None,
) -> QuerySet[Demand]:
    """The key's demands received in [start, end], of the given services (all when empty),
    open or closed (both when None)."""
    queryset = requests_for(key).filter(received_at__gte=start, received_at__lte=end)
    if service_codes:
        queryset = queryset.filter(category_id__in=service_codes)
    if closed is True:
        queryset = queryset.filter(state=DemandState.CLOSED)
    elif closed is False:
        queryset = queryset.exclude(state=DemandState.CLOSED)
    return queryset


def newest(queryset: QuerySet[Demand], limit: int) -> list[Demand]:
    """The `limit` most recently received demands of `queryset`, newest first."""
    return list(queryset.order_by("-received_at", "-pk")[:limit])


def enterprise_in_scope(key: Open311Key, credit_code: str) -> Enterprise | None:
    """The enterprise of the key's jurisdiction with this unified social credit code."""
    return Enterprise.objects.filter(
        credit_code=credit_code, jurisdiction_path__startswith=key.jurisdiction.path
    ).first()
