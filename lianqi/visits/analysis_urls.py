"""The addresses of a campaign's analysis, under ``/visits/campaigns/<pk>/analysis/``."""

from django.urls import path

from .views import analysis

urlpatterns = [
    path("", analysis.AnalysisView.as_view(), name="campaign_analysis"),
    path("texts/<str:key>/", analysis.TextAnswersView.as_view(), name="campaign_texts"),
    path("forms.xlsx", analysis.ExportView.as_view(), name="campaign_export"),
    path("summary.docx", analysis.SummaryView.as_view(), name="campaign_summary"),
    path("remind/", analysis.RemindView.as_view(), name="campaign_remind"),
]
