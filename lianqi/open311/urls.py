"""Open311 GeoReport v2 under /open311/v2/: each resource with a `.json` or `.xml` suffix."""

from __future__ import annotations

from django.urls import path, re_path

from . import views

app_name = "open311"

urlpatterns = [
    path("services.<str:fmt>", views.ServiceListView.as_view(), name="services"),
    re_path(r"^services/(?P<code>\d+)\.(?P<fmt>\w+)$", views.ServiceDefinitionView.as_view(), name="service"),
    path("requests.<str:fmt>", views.RequestsView.as_view(), name="requests"),
    re_path(r"^requests/(?P<pk>\d+)\.(?P<fmt>\w+)$", views.RequestView.as_view(), name="request"),
    re_path(r"^.*$", views.not_found, name="not-found"),
]
