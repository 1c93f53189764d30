from django.urls import path

from . import views_import

urlpatterns: list = [
    path("", views_import.ImportStartView.as_view(), name="import_start"),
    path("template/", views_import.ImportTemplateView.as_view(), name="import_template"),
    path("jobs/", views_import.ImportJobListView.as_view(), name="import_jobs"),
    path("jobs/<int:pk>/", views_import.ImportPreviewView.as_view(), name="import_preview"),
    path("jobs/<int:pk>/commit/", views_import.ImportCommitView.as_view(), name="import_commit"),
]
