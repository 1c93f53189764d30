"""The addresses of key projects' pages (`config/urls.py` puts them under ``/projects/``)."""

from django.urls import path

from .views import documents, meetings, pipeline, portfolio, progress

app_name = "projects"

urlpatterns = [
    path("", portfolio.ProjectListView.as_view(), name="list"),
    path("export/", portfolio.ProjectExportView.as_view(), name="export"),
    path("dashboard/", portfolio.DashboardView.as_view(), name="dashboard"),
    path("dashboard/export/<str:table>/", portfolio.DashboardExportView.as_view(), name="dashboard_export"),
    path("dashboard/report/", portfolio.MonthlyReportView.as_view(), name="monthly_report"),
    path("dashboard/report/wording/", portfolio.ReportWordingView.as_view(), name="report_wording"),
    path("dashboard/report/builds/", documents.ReportBuildListView.as_view(), name="report_builds"),
    path(
        "dashboard/report/builds/<int:pk>/", documents.ReportBuildFileView.as_view(), name="report_build_file"
    ),
    path("new/", portfolio.ProjectCreateView.as_view(), name="create"),
    path("<int:pk>/", portfolio.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/map/", progress.BattleMapView.as_view(), name="battle_map"),
    path("<int:pk>/milestones/", progress.MilestoneCreateView.as_view(), name="milestone_create"),
    path(
        "<int:pk>/milestones/template/", progress.MilestoneTemplateView.as_view(), name="milestone_template"
    ),
    path("<int:pk>/plan/", portfolio.PlanRevisionView.as_view(), name="plan"),
    path("<int:pk>/report/", progress.ReportView.as_view(), name="report"),
    path("<int:pk>/steps/<str:action>/", portfolio.ProjectStepView.as_view(), name="step"),
    path("milestones/<int:pk>/", progress.MilestoneDatesView.as_view(), name="milestone_dates"),
    path(
        "milestones/<int:pk>/dependency/",
        progress.MilestoneDependencyView.as_view(),
        name="milestone_dependency",
    ),
    path("photos/<int:pk>/", progress.ReportPhotoView.as_view(), name="photo"),
    path("problems/<int:pk>/refer/", progress.ReferProblemView.as_view(), name="refer_problem"),
    path("meetings/", meetings.SeriesListView.as_view(), name="series_list"),
    path("meetings/series/<int:pk>/new/", meetings.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", meetings.MeetingView.as_view(), name="meeting"),
    path(
        "meetings/<int:pk>/escalated/<int:demand>/",
        meetings.EscalatedDecisionView.as_view(),
        name="escalated_decision",
    ),
    path("pipeline/", pipeline.PipelineView.as_view(), name="pipeline"),
    path("pipeline/export/", pipeline.PipelineExportView.as_view(), name="pipeline_export"),
    path("leads/<int:pk>/", pipeline.LeadView.as_view(), name="lead"),
    path("leads/<int:pk>/<str:action>/", pipeline.LeadStepView.as_view(), name="lead_step"),
    path("enterprises/<int:pk>/", portfolio.EnterpriseSectionView.as_view(), name="enterprise_section"),
]
