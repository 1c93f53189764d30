"""Routes of the liaisons API, added to `lianqi.api` through the API registry."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import LiaisonChangeViewSet

ROUTES = (ApiRoute("liaison-changes", LiaisonChangeViewSet, "liaison-change", order=21),)
