"""The addresses of the land supermarket's pages (`config/urls.py` puts them under ``/land/``),
and the one under the enterprise's code, which `apps.py` registers in the ``codes`` namespace."""

from django.urls import path

from . import views

app_name = "land"

urlpatterns = [
    path("", views.MapView.as_view(), name="map"),
    path("parcels.geojson", views.GeoJsonView.as_view(), name="geojson"),
    path("parcels.xlsx", views.ParcelExportView.as_view(), name="export"),
    path("reservations.xlsx", views.ReservationExportView.as_view(), name="reservations_export"),
    path("select/", views.SelectView.as_view(), name="select"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("parcels/new/", views.ParcelCreateView.as_view(), name="parcel_new"),
    path("parcels/<int:pk>/", views.ParcelView.as_view(), name="parcel"),
    path("parcels/<int:pk>/edit/", views.ParcelEditView.as_view(), name="parcel_edit"),
    path("parcels/<int:pk>/reserve/", views.ReserveView.as_view(), name="reserve"),
    path("parcels/<int:pk>/<str:action>/", views.ParcelStepView.as_view(), name="parcel_step"),
    path("reservations/", views.ReservationListView.as_view(), name="reservations"),
    path("reservations/<int:pk>/", views.ReservationView.as_view(), name="reservation"),
    path("reservations/<int:pk>/<str:action>/", views.ReservationStepView.as_view(), name="step"),
    path("enterprises/<int:pk>/", views.EnterpriseSectionView.as_view(), name="enterprise_section"),
]

code_urlpatterns = [
    path("<str:token>/land/", views.CodeListView.as_view(), name="land_list"),
]
