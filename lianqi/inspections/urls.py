"""The addresses of this wing's pages (`config/urls.py` puts them under ``/inspections/``), and
those under the enterprise's code, which `apps.py` registers in the ``codes`` namespace."""

from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="list"),
    path("export/", views.InspectionExportView.as_view(), name="export"),
    path("<int:pk>/", views.InspectionDetailView.as_view(), name="detail"),
    path("pick/lenient/", views.LenientItemPickerView.as_view(), name="pick_lenient"),
    path("<int:pk>/<str:action>/", views.InspectionStepView.as_view(), name="step"),
    path("draws/new/", views.DrawCreateView.as_view(), name="draw_create"),
    path("draws/<int:pk>/", views.DrawPublicView.as_view(), name="draw"),
    path("inspectors/", views.InspectorPoolView.as_view(), name="inspectors"),
    path("inspectors/<int:pk>/remove/", views.InspectorRemoveView.as_view(), name="inspector_remove"),
    path("quiet/", views.QuietPeriodListView.as_view(), name="quiet_periods"),
    path("quiet/<int:pk>/end/", views.QuietPeriodEndView.as_view(), name="quiet_period_end"),
    path("joint/", views.JointVisitListView.as_view(), name="joint_visits"),
    path("lenient/", views.LenientListManageView.as_view(), name="lenient_manage"),
    path("lenient/<str:code>/", views.LenientListPublicView.as_view(), name="lenient_public"),
    path("enterprises/<int:pk>/", views.InspectionEnterpriseSectionView.as_view(), name="enterprise_section"),
    path("enterprises/<int:pk>/new/", views.InspectionCreateView.as_view(), name="create"),
    path("statistics/", views.InspectionStatisticsView.as_view(), name="statistics"),
    path("statistics/export/", views.InspectionStatisticsExportView.as_view(), name="statistics_export"),
    path("inspectors/export/", views.InspectorPoolExportView.as_view(), name="inspectors_export"),
    path("quiet/export/", views.QuietPeriodExportView.as_view(), name="quiet_periods_export"),
    path("joint/export/", views.JointVisitExportView.as_view(), name="joint_visits_export"),
    path("items/", views.ItemListView.as_view(), name="items"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path("items/<int:pk>/<str:verb>/", views.ItemPublishView.as_view(), name="item_publish"),
    path("items/public/<str:code>/", views.ItemPublicView.as_view(), name="items_public"),
    path("draws/<int:pk>/draw/", views.DrawPerformView.as_view(), name="draw_perform"),
    path("caps/", views.FrequencyCapsView.as_view(), name="caps"),
]

code_urlpatterns = [
    path("<str:token>/inspections/", views.InspectionCodeListView.as_view(), name="inspections_list"),
    path(
        "<str:token>/inspections/report/", views.InspectionCodeReportView.as_view(), name="inspections_report"
    ),
]
