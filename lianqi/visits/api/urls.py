"""Routes of the visits' API, put on the one router of `lianqi.api` through the API registry
(see `lianqi.visits.apps`)."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import CampaignViewSet, QuestionnaireViewSet, VisitViewSet

ROUTES = (
    ApiRoute("visit-campaigns", CampaignViewSet, "visit-campaign", order=50),
    ApiRoute("questionnaires", QuestionnaireViewSet, "questionnaire", order=51),
    ApiRoute("visits", VisitViewSet, "visit", order=52),
)
