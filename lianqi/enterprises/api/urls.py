"""Routes of the enterprises API, added to `lianqi.api` through the API registry."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import EnterpriseViewSet, IndustryViewSet, TagViewSet

ROUTES = (
    ApiRoute("enterprises", EnterpriseViewSet, "enterprise", order=20),
    ApiRoute("industries", IndustryViewSet, "industry", order=22),
    ApiRoute("tags", TagViewSet, "tag", order=23),
)
