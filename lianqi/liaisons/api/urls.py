"""Routes of the liaisons API, added to `lianqi.api` through the API registry."""

from __future__ import annotations

from django.urls import URLPattern, path

from lianqi.core.registry import ApiRoute

from .views import AssignLiaisonView, LiaisonChangeViewSet

ROUTES = (ApiRoute("liaison-changes", LiaisonChangeViewSet, "liaison-change", order=21),)

#: Addressed under the enterprise it changes, as the register's own actions are.
urlpatterns: list[URLPattern] = [
    path(
        "enterprises/<int:id>/assign-liaison/", AssignLiaisonView.as_view(), name="enterprise-assign-liaison"
    ),
]
