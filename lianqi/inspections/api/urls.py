"""Routes of this wing's API, put on the one router of `lianqi.api` through the API registry
(see `apps.py`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from lianqi.core.registry import ApiRoute

from .statistics import InspectionStatisticsView
from .views import InspectionDrawViewSet, InspectionItemViewSet, InspectionViewSet, LenientItemViewSet

ROUTES = (
    ApiRoute("inspections", InspectionViewSet, "inspections", order=100),
    ApiRoute("inspection-draws", InspectionDrawViewSet, "inspection-draws", order=101),
    ApiRoute("lenient-items", LenientItemViewSet, "lenient-items", order=102),
    ApiRoute("inspection-items", InspectionItemViewSet, "inspection-items", order=103),
)

#: Plain routes besides the router's.
urlpatterns: list[URLPattern] = [
    path("inspection-statistics/", InspectionStatisticsView.as_view(), name="inspection-statistics"),
]
