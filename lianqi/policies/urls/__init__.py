"""The policy supermarket's pages under ``/policies/`` (the pages under the enterprise's code
are in `urls.code`, added to ``/c/`` through the registry)."""

from __future__ import annotations

from django.urls import path

from ..views import enterprise, ledger, shelf, workbench

app_name = "policies"

urlpatterns = [
    path("", shelf.PolicyListView.as_view(), name="list"),
    path("export/", shelf.PolicyExportView.as_view(), name="export"),
    path("pick/", shelf.PolicyPickerView.as_view(), name="pick"),
    path("for-me/", shelf.PoliciesForMeView.as_view(), name="for_me"),
    path("new/", workbench.PolicyCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", workbench.PolicyUpdateView.as_view(), name="update"),
    path("<int:pk>/workbench/", workbench.WorkbenchView.as_view(), name="workbench"),
    path("<int:pk>/workbench/import/", workbench.RuleImportView.as_view(), name="rule_import"),
    path("<int:pk>/rule.<str:fmt>", workbench.RuleExportView.as_view(), name="rule_export"),
    path("<int:pk>/", shelf.PolicyDetailView.as_view(), name="detail"),
    path("<int:pk>/apply/", ledger.PolicyApplyView.as_view(), name="apply"),
    path("<int:pk>/beneficiaries/", ledger.BeneficiariesView.as_view(), name="beneficiaries"),
    path("<int:pk>/notify/", ledger.PolicyNotifyMatchedView.as_view(), name="notify_matched"),
    path("ledger/", ledger.LedgerView.as_view(), name="ledger"),
    path("ledger/export/", ledger.LedgerExportView.as_view(), name="ledger_export"),
    path("ledger/<int:pk>/", ledger.FulfilmentDetailView.as_view(), name="fulfilment"),
    path(
        "ledger/<int:pk>/materials/<int:material_pk>/",
        ledger.MaterialDownloadView.as_view(),
        name="material",
    ),
    path(
        "enterprise/<int:pk>/matches/", enterprise.EnterpriseMatchesView.as_view(), name="enterprise_matches"
    ),
    path(
        "enterprise/<int:pk>/benefits/",
        enterprise.EnterpriseBenefitsView.as_view(),
        name="enterprise_benefits",
    ),
    path("ledger/<int:pk>/<str:action>/", ledger.FulfilmentStepView.as_view(), name="fulfilment_step"),
]
