"""Routes of key projects' API, put on the one router of `lianqi.api` through the API registry
(see `apps.py`)."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import LeadViewSet, MeetingViewSet, ProjectViewSet

ROUTES = (
    ApiRoute("projects", ProjectViewSet, "project", order=100),
    ApiRoute("project-meetings", MeetingViewSet, "project-meeting", order=101),
    ApiRoute("project-leads", LeadViewSet, "project-lead", order=102),
)
