"""A demand's own page, the form of each step, and its files."""

from __future__ import annotations

from django.urls import URLPattern, path

from ..views import detail as views

urlpatterns: list[URLPattern] = [
    path("pick/owners/", views.OwnerPickerView.as_view(), name="pick_owner"),
    path("<int:pk>/", views.DemandDetailView.as_view(), name="detail"),
    path("<int:pk>/act/<str:action>/", views.DemandActView.as_view(), name="act"),
    path("<int:pk>/attachments/", views.DemandAttachView.as_view(), name="attach"),
    path(
        "<int:pk>/attachments/<int:aid>/",
        views.DemandAttachmentView.as_view(),
        name="attachment",
    ),
]
