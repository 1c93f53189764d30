"""The demands' section of the enterprise's file (一企一档), loaded by the file page itself."""

from __future__ import annotations

from django.urls import URLPattern, path

from ..views import enterprise as views

urlpatterns: list[URLPattern] = [
    path("enterprise/<int:pk>/section/", views.EnterpriseSectionView.as_view(), name="enterprise_section"),
]
