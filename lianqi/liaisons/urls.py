from django.urls import path

from . import views

app_name = "liaisons"

urlpatterns = [
    path("", views.CoverageView.as_view(), name="coverage"),
    path("export/", views.CoverageExportView.as_view(), name="coverage_export"),
    path("enterprise/<int:pk>/assign/", views.AssignView.as_view(), name="assign"),
    path(
        "enterprise/<int:pk>/section/",
        views.EnterpriseLiaisonSectionView.as_view(),
        name="enterprise_section",
    ),
    path("bulk/", views.BulkAssignView.as_view(), name="bulk"),
    path("pick/", views.LiaisonPickerView.as_view(), name="pick"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/template/", views.ImportTemplateView.as_view(), name="import_template"),
    path("import/<int:pk>/", views.ImportPreviewView.as_view(), name="import_preview"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("staff/<int:pk>/handover/", views.HandoverView.as_view(), name="handover"),
]
