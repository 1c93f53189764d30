"""A demand's own page, the form of each step, and its files."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_detail

urlpatterns: list[URLPattern] = [
    path("<int:pk>/", views_detail.DemandDetailView.as_view(), name="detail"),
    path("<int:pk>/act/<str:action>/", views_detail.DemandActView.as_view(), name="act"),
    path("<int:pk>/attachments/", views_detail.DemandAttachView.as_view(), name="attach"),
    path(
        "<int:pk>/attachments/<int:aid>/",
        views_detail.DemandAttachmentView.as_view(),
        name="attachment",
    ),
]
