"""Routes of this wing's API, put on the one router of `lianqi.api` through the API registry
(see `apps.py`)."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import InspectionDrawViewSet, InspectionItemViewSet, InspectionViewSet, LenientItemViewSet

ROUTES = (
    ApiRoute("inspections", InspectionViewSet, "inspections", order=100),
    ApiRoute("inspection-draws", InspectionDrawViewSet, "inspection-draws", order=101),
    ApiRoute("lenient-items", LenientItemViewSet, "lenient-items", order=102),
    ApiRoute("inspection-items", InspectionItemViewSet, "inspection-items", order=103),
)
