"""Routes of the finance supermarket's API, put on the one router of `lianqi.api` through the
API registry (see `apps.py`)."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import ApplicationViewSet, EventViewSet, InstitutionViewSet, ProductViewSet

ROUTES = (
    ApiRoute("finance/institutions", InstitutionViewSet, "finance-institution", order=110),
    ApiRoute("finance/products", ProductViewSet, "finance-product", order=111),
    ApiRoute("finance/applications", ApplicationViewSet, "finance-application", order=112),
    ApiRoute("finance/events", EventViewSet, "finance-event", order=113),
)
