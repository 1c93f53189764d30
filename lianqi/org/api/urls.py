"""Routes of the org API, added to `lianqi.api` through the API registry."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import DepartmentViewSet, JurisdictionViewSet, StaffViewSet

ROUTES = (
    ApiRoute("jurisdictions", JurisdictionViewSet, "jurisdiction", order=10),
    ApiRoute("departments", DepartmentViewSet, "department", order=11),
    ApiRoute("staff", StaffViewSet, "staff", order=12),
)
