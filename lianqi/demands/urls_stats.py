"""The demand statistics page and its Excel export."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_stats

urlpatterns: list[URLPattern] = [
    path("statistics/", views_stats.StatisticsView.as_view(), name="statistics"),
    path("statistics/export/", views_stats.StatisticsExportView.as_view(), name="statistics_export"),
]
