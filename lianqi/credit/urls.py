"""The addresses of the credit pages (`config/urls.py` puts them under ``/credit/``), and the
one under the enterprise's code, which `apps.py` registers in the ``codes`` namespace."""

from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.ClassListView.as_view(), name="classes"),
    path("rule/", views.RuleEditView.as_view(), name="rule_edit"),
    path("rule/versions/", views.RuleVersionsView.as_view(), name="rule_versions"),
    path("commitments/", views.CommitmentListView.as_view(), name="commitments"),
    path("honours/", views.HonourListView.as_view(), name="honours"),
    path("records/", views.RecordListView.as_view(), name="records"),
    path("records/import/", views.RecordImportView.as_view(), name="import"),
    path("records/<int:pk>/", views.RecordDetailView.as_view(), name="record"),
    path("records/<int:pk>/<str:action>/", views.RecordStepView.as_view(), name="step"),
    path("repairs/", views.RepairListView.as_view(), name="repairs"),
    path("interviews/", views.InterviewListView.as_view(), name="interviews"),
    path("interviews/new/", views.InterviewCreateView.as_view(), name="interview_create"),
    path("conveniences/", views.ConvenienceListView.as_view(), name="conveniences"),
    path("conveniences/new/", views.ConvenienceCreateView.as_view(), name="convenience_create"),
    path("conveniences/<int:pk>/", views.ConvenienceEditView.as_view(), name="convenience_edit"),
    path(
        "conveniences/<int:pk>/withdraw/",
        views.ConvenienceWithdrawView.as_view(),
        name="convenience_withdraw",
    ),
    path("enterprises/<int:pk>/", views.EnterpriseSectionView.as_view(), name="enterprise_section"),
    path("enterprises/<int:pk>/commitment/", views.CommitmentCreateView.as_view(), name="commitment_create"),
    path("enterprises/<int:pk>/honour/", views.HonourCreateView.as_view(), name="honour_create"),
    path("enterprises/<int:pk>/record/", views.RecordCreateView.as_view(), name="record_create"),
    path("enterprises/<int:pk>/xindai/", views.XindaiCreateView.as_view(), name="xindai_create"),
]

code_urlpatterns = [
    path("<str:token>/credit/", views.CreditCodeView.as_view(), name="credit"),
    path("<str:token>/credit/repair/", views.CreditRepairCodeView.as_view(), name="credit_repair"),
]
