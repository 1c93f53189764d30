"""The enterprise's electronic questionnaire under its code (`/c/<token>/visits/…`), named in
the `codes` namespace and added to the code page through the registry."""

from django.urls import path

from .views import code

urlpatterns: list = [
    path("<str:token>/visits/", code.CodeCampaignListView.as_view(), name="visit_list"),
    path("<str:token>/visits/<int:pk>/", code.CodeVisitFormView.as_view(), name="visit_form"),
    path("<str:token>/visits/<int:pk>/done/", code.CodeVisitDoneView.as_view(), name="visit_done"),
    path("<str:token>/visits/forms/<int:pk>/", code.CodeVisitAnswersView.as_view(), name="visit_answers"),
]
