"""The demand statistics page, its resolution ladder and its Excel export."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("statistics/ladder/", views.LadderView.as_view(), name="statistics_ladder"),
    path("statistics/export/", views.StatisticsExportView.as_view(), name="statistics_export"),
]
