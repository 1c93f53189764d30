"""The addresses of approvals' pages (`config/urls.py` puts them under ``/approvals/``)."""

from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("", views.RunListView.as_view(), name="list"),
    path("export/", views.RunExportView.as_view(), name="export"),
    path("<int:pk>/", views.RunDetailView.as_view(), name="detail"),
    path("items/<int:pk>/", views.RunItemView.as_view(), name="item"),
    path("items/<int:pk>/<str:action>/", views.RunItemStepView.as_view(), name="item_step"),
    path("projects/<int:pk>/", views.ProjectRunView.as_view(), name="project"),
    path("charts/", views.ChartListView.as_view(), name="charts"),
    path("charts/export/", views.ChartExportView.as_view(), name="charts_export"),
    path("charts/<int:pk>/", views.ChartDetailView.as_view(), name="chart"),
    path("charts/<int:pk>/items/new/", views.ChartItemCreateView.as_view(), name="chart_item_create"),
    path(
        "chart-items/<int:pk>/prerequisites/",
        views.ChartItemPrerequisitesView.as_view(),
        name="prerequisites",
    ),
    path("guide/<int:pk>/", views.ChartGuideView.as_view(), name="guide"),
    path("enterprises/<int:pk>/", views.RunEnterpriseSectionView.as_view(), name="enterprise_section"),
]
