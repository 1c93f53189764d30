"""What an Open311 key may see: the demands of its jurisdiction's subtree, and, for an
enterprise's own key, only that enterprise's demands. One request is loaded only through
`access_service_request`, which answers 404 both for a demand that does not exist and for one
the key may not see, so a client cannot learn that a demand exists elsewhere."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from lianqi.core.scoping import get_object_or_404_scoped
from lianqi.demands.models import Demand

from .models import Open311Key

#: What an answer about a request shows besides the demand itself.
REQUEST_RELATED = ("category", "lead_department", "enterprise")
#: The longest request id the database can hold (a bigint has 19 digits).
MAX_ID_DIGITS = 18


def visible(key: Open311Key) -> QuerySet[Demand]:
    queryset = Demand.objects.filter(jurisdiction_path__startswith=key.jurisdiction.path)
    if key.enterprise_id is not None:
        queryset = queryset.filter(enterprise_id=key.enterprise_id)
    return queryset


def access_service_request(key: Open311Key, pk: Any) -> Demand:
    """One demand the key may see, with what its answer shows; an id too long for the
    database is simply not there."""
    if len(str(pk)) > MAX_ID_DIGITS:
        raise Http404
    return get_object_or_404_scoped(visible(key).select_related(*REQUEST_RELATED), pk=pk)
