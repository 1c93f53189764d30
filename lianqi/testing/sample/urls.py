"""The addresses of this wing's pages (`config/urls.py` puts them under ``/sample/``), and
those under the enterprise's code, which `apps.py` registers in the ``codes`` namespace."""

from django.urls import path

from . import views

app_name = "sample"

urlpatterns = [
    path("", views.SampleListView.as_view(), name="list"),
    path("<int:pk>/", views.SampleDetailView.as_view(), name="detail"),
    path("<int:pk>/<str:action>/", views.SampleStepView.as_view(), name="step"),
    path("enterprises/<int:pk>/", views.SampleEnterpriseSectionView.as_view(), name="enterprise_section"),
    path("enterprises/<int:pk>/new/", views.SampleCreateView.as_view(), name="create"),
]

code_urlpatterns = [
    path("<str:token>/sample/", views.SampleCodeListView.as_view(), name="sample_list"),
]
