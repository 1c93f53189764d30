"""Routes of the credit API, put on the one router of `lianqi.api` through the API registry
(see `apps.py`)."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import ClassViewSet, RecordViewSet

ROUTES = (
    ApiRoute("credit/records", RecordViewSet, "credit-record", order=120),
    ApiRoute("credit/classes", ClassViewSet, "credit-class", order=121),
)
