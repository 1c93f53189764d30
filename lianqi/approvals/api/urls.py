"""Routes of approvals' API, put on the one router of `lianqi.api` through the API registry
(see `apps.py`)."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import ChartViewSet, RunItemViewSet, RunViewSet

ROUTES = (
    ApiRoute("approvals/charts", ChartViewSet, "approval-charts", order=100),
    ApiRoute("approvals/runs", RunViewSet, "approval-runs", order=101),
    ApiRoute("approvals/items", RunItemViewSet, "approval-items", order=102),
)
