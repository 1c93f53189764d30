"""Routes of the demands API, put on the one router of `lianqi.api` through the API registry
(see `lianqi.demands.apps`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from lianqi.core.registry import ApiRoute

from .statistics import DemandStatisticsView
from .views import CategoryViewSet, DemandViewSet

ROUTES = (
    ApiRoute("demands", DemandViewSet, "demand", order=40),
    ApiRoute("demand-categories", CategoryViewSet, "demand-category", order=41),
)

#: Plain routes, placed before the router's so that `demands/statistics/` is not read as the
#: demand with id "statistics".
urlpatterns: list[URLPattern] = [
    path("demands/statistics/", DemandStatisticsView.as_view(), name="demand-statistics"),
]
