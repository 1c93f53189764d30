"""The addresses of this wing's pages (`config/urls.py` puts them under ``/land/``), and
those under the enterprise's code, which `apps.py` registers in the ``codes`` namespace."""

from django.urls import path

from . import views

app_name = "land"

urlpatterns = [
    path("", views.LandListView.as_view(), name="list"),
    path("<int:pk>/", views.LandDetailView.as_view(), name="detail"),
    path("<int:pk>/<str:action>/", views.LandStepView.as_view(), name="step"),
    path("enterprises/<int:pk>/", views.LandEnterpriseSectionView.as_view(), name="enterprise_section"),
    path("enterprises/<int:pk>/new/", views.LandCreateView.as_view(), name="create"),
]

code_urlpatterns = [
    path("<str:token>/land/", views.LandCodeListView.as_view(), name="land_list"),
]
