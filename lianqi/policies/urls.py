from __future__ import annotations

from django.urls import path

from . import views, views_ledger

app_name = "policies"

urlpatterns = [
    path("", views.PolicyListView.as_view(), name="list"),
    path("export/", views.PolicyExportView.as_view(), name="export"),
    path("for-me/", views.PoliciesForMeView.as_view(), name="for_me"),
    path("<int:pk>/", views.PolicyDetailView.as_view(), name="detail"),
    path("<int:pk>/apply/", views_ledger.PolicyApplyView.as_view(), name="apply"),
    path("<int:pk>/beneficiaries/", views_ledger.BeneficiariesView.as_view(), name="beneficiaries"),
    path("ledger/", views_ledger.LedgerView.as_view(), name="ledger"),
    path("ledger/export/", views_ledger.LedgerExportView.as_view(), name="ledger_export"),
    path("ledger/<int:pk>/", views_ledger.FulfilmentDetailView.as_view(), name="fulfilment"),
    path("ledger/<int:pk>/<str:action>/", views_ledger.FulfilmentStepView.as_view(), name="fulfilment_step"),
]
