"""The demand lists: the register, the department inbox, the office board (with bulk
assignment) and the legacy-problem clearing page, each with its Excel export."""

from __future__ import annotations

from django.urls import URLPattern, path

from ..views import lists as views

urlpatterns: list[URLPattern] = [
    path("", views.DemandListView.as_view(), name="list"),
    path("export/", views.DemandListExportView.as_view(), name="list_export"),
    path("inbox/", views.DemandInboxView.as_view(), name="inbox"),
    path("inbox/export/", views.DemandInboxExportView.as_view(), name="inbox_export"),
    path("board/", views.DemandBoardView.as_view(), name="board"),
    path("board/export/", views.DemandBoardExportView.as_view(), name="board_export"),
    path("board/assign/", views.DemandBulkAssignView.as_view(), name="bulk_assign"),
    path("legacy/", views.DemandLegacyView.as_view(), name="legacy"),
    path("legacy/export/", views.DemandLegacyExportView.as_view(), name="legacy_export"),
]
