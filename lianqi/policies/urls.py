from __future__ import annotations

from django.urls import path

from . import views, views_ledger, views_workbench

app_name = "policies"

urlpatterns = [
    path("", views.PolicyListView.as_view(), name="list"),
    path("export/", views.PolicyExportView.as_view(), name="export"),
    path("for-me/", views.PoliciesForMeView.as_view(), name="for_me"),
    path("new/", views_workbench.PolicyCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views_workbench.PolicyUpdateView.as_view(), name="update"),
    path("<int:pk>/workbench/", views_workbench.WorkbenchView.as_view(), name="workbench"),
    path("<int:pk>/workbench/import/", views_workbench.RuleImportView.as_view(), name="rule_import"),
    path("<int:pk>/rule.<str:fmt>", views_workbench.RuleExportView.as_view(), name="rule_export"),
    path("<int:pk>/", views.PolicyDetailView.as_view(), name="detail"),
    path("<int:pk>/apply/", views_ledger.PolicyApplyView.as_view(), name="apply"),
    path("<int:pk>/beneficiaries/", views_ledger.BeneficiariesView.as_view(), name="beneficiaries"),
    path("<int:pk>/notify/", views_ledger.PolicyNotifyMatchedView.as_view(), name="notify_matched"),
    path("ledger/", views_ledger.LedgerView.as_view(), name="ledger"),
    path("ledger/export/", views_ledger.LedgerExportView.as_view(), name="ledger_export"),
    path("ledger/<int:pk>/", views_ledger.FulfilmentDetailView.as_view(), name="fulfilment"),
    path(
        "ledger/<int:pk>/materials/<int:material_pk>/",
        views_ledger.MaterialDownloadView.as_view(),
        name="material",
    ),
    path("ledger/<int:pk>/<str:action>/", views_ledger.FulfilmentStepView.as_view(), name="fulfilment_step"),
]
