"""Addresses of the enterprise import, under /enterprises/import/ (namespace ``enterprises``)."""

from django.urls import URLPattern, path

from ..views import importing

urlpatterns: list[URLPattern] = [
    path("", importing.ImportStartView.as_view(), name="import_start"),
    path("template/", importing.ImportTemplateView.as_view(), name="import_template"),
    path("jobs/", importing.ImportJobListView.as_view(), name="import_jobs"),
    path("jobs/<int:pk>/", importing.ImportPreviewView.as_view(), name="import_preview"),
    path("jobs/<int:pk>/commit/", importing.ImportCommitView.as_view(), name="import_commit"),
]
