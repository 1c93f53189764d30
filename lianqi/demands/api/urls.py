"""Routes of the demands API, registered on the one router of `lianqi.api.urls`. The statistics
endpoint lives in its own module, added when it exists."""

from __future__ import annotations

from django.urls import URLPattern, path
from rest_framework.routers import BaseRouter

from .views import CategoryViewSet, DemandViewSet

try:
    from .statistics import DemandStatisticsView
except ImportError:  # pragma: no cover - until the statistics endpoint is written
    DemandStatisticsView = None  # type: ignore[assignment,misc]


def register(router: BaseRouter) -> None:
    """Put the demand viewsets on the API's router."""
    router.register("demands", DemandViewSet, basename="demand")
    router.register("demand-categories", CategoryViewSet, basename="demand-category")


#: Plain routes, placed before the router's so that `demands/statistics/` is not read as the
#: demand with id "statistics".
urlpatterns: list[URLPattern] = []
if DemandStatisticsView is not None:
    urlpatterns.append(path("demands/statistics/", DemandStatisticsView.as_view(), name="demand-statistics"))
