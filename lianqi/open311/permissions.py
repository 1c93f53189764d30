"""What an Open311 key may see: the demands of its jurisdiction's subtree, and, for an
enterprise's own key, only that enterprise's demands."""

from __future__ import annotations

from django.db.models import QuerySet

from lianqi.demands.models import Demand

from .models import Open311Key


def visible(key: Open311Key) -> QuerySet[Demand]:
    queryset = Demand.objects.filter(jurisdiction_path__startswith=key.jurisdiction.path)
    if key.enterprise_id is not None:
        queryset = queryset.filter(enterprise_id=key.enterprise_id)
    return queryset
