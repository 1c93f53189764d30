"""Routes of this wing's API, put on the one router of `lianqi.api` through the API registry
(see `apps.py`)."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import ApprovalsViewSet

ROUTES = (ApiRoute("approvals", ApprovalsViewSet, "approvals", order=100),)
