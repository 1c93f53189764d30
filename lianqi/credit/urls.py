"""The addresses of this wing's pages (`config/urls.py` puts them under ``/credit/``), and
those under the enterprise's code, which `apps.py` registers in the ``codes`` namespace."""

from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.CreditListView.as_view(), name="list"),
    path("<int:pk>/", views.CreditDetailView.as_view(), name="detail"),
    path("<int:pk>/<str:action>/", views.CreditStepView.as_view(), name="step"),
    path("enterprises/<int:pk>/", views.CreditEnterpriseSectionView.as_view(), name="enterprise_section"),
    path("enterprises/<int:pk>/new/", views.CreditCreateView.as_view(), name="create"),
]

code_urlpatterns = [
    path("<str:token>/credit/", views.CreditCodeListView.as_view(), name="credit_list"),
]
