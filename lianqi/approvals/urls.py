"""The addresses of this wing's pages (`config/urls.py` puts them under ``/approvals/``), and
those under the enterprise's code, which `apps.py` registers in the ``codes`` namespace."""

from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("", views.ApprovalsListView.as_view(), name="list"),
    path("<int:pk>/", views.ApprovalsDetailView.as_view(), name="detail"),
    path("<int:pk>/<str:action>/", views.ApprovalsStepView.as_view(), name="step"),
    path("enterprises/<int:pk>/", views.ApprovalsEnterpriseSectionView.as_view(), name="enterprise_section"),
    path("enterprises/<int:pk>/new/", views.ApprovalsCreateView.as_view(), name="create"),
]

code_urlpatterns = [
    path("<str:token>/approvals/", views.ApprovalsCodeListView.as_view(), name="approvals_list"),
]
