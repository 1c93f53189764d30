"""The addresses of the visits' pages (`config/urls.py` puts them under ``/visits/``)."""

from django.urls import include, path

from .views import builder, campaigns, exports, questionnaires, recording

app_name = "visits"

urlpatterns = [
    path("", campaigns.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", campaigns.CampaignCreateView.as_view(), name="campaign_create"),
    path(
        "campaigns/new/template/", campaigns.CampaignFromTemplateView.as_view(), name="campaign_from_template"
    ),
    path("campaigns/<int:pk>/", campaigns.CampaignDetailView.as_view(), name="campaign_detail"),
    # Before the steps, whose one free segment would take "analysis".
    path("campaigns/<int:pk>/analysis/", include("lianqi.visits.analysis_urls")),
    path("campaigns/<int:pk>/<str:action>/", campaigns.CampaignStepView.as_view(), name="campaign_step"),
    path("questionnaires/", questionnaires.QuestionnaireListView.as_view(), name="questionnaire_list"),
    # The builder by default; the JSON editor stays as the advanced view.
    path("questionnaires/new/", builder.QuestionnaireBuilderView.as_view(), name="questionnaire_create"),
    path("questionnaires/<int:pk>/", builder.QuestionnaireBuilderView.as_view(), name="questionnaire_edit"),
    path(
        "questionnaires/new/json/",
        questionnaires.QuestionnaireEditView.as_view(),
        name="questionnaire_create_json",
    ),
    path(
        "questionnaires/<int:pk>/json/",
        questionnaires.QuestionnaireEditView.as_view(),
        name="questionnaire_json",
    ),
    path(
        "questionnaires/preview/<str:audience>/",
        builder.QuestionnairePreviewView.as_view(),
        name="questionnaire_preview_draft",
    ),
    path(
        "questionnaires/<int:pk>/preview/<str:audience>/",
        builder.QuestionnairePreviewView.as_view(),
        name="questionnaire_preview",
    ),
    path("new/", recording.VisitCreateView.as_view(), name="visit_create"),
    path("<int:pk>/", recording.VisitDetailView.as_view(), name="visit_detail"),
    path("<int:pk>/files/<int:fid>/", recording.VisitFileView.as_view(), name="visit_file"),
    path("enterprises/<int:pk>/", recording.VisitEnterpriseSectionView.as_view(), name="enterprise_section"),
    # The lists as Excel.
    path("export/", exports.CampaignListExportView.as_view(), name="campaign_list_export"),
    path(
        "questionnaires/export/",
        exports.QuestionnaireListExportView.as_view(),
        name="questionnaire_list_export",
    ),
]
