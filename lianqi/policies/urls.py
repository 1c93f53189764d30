from __future__ import annotations

from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.PolicyListView.as_view(), name="list"),
    path("export/", views.PolicyExportView.as_view(), name="export"),
    path("for-me/", views.PoliciesForMeView.as_view(), name="for_me"),
    path("<int:pk>/", views.PolicyDetailView.as_view(), name="detail"),
]
