"""Routes of the policy supermarket API, put on the one router of `lianqi.api` through the API
registry (see `lianqi.policies.apps`)."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import FulfilmentViewSet, PolicyMatchViewSet, PolicyViewSet

ROUTES = (
    ApiRoute("policies", PolicyViewSet, "policy", order=50),
    ApiRoute("policy-matches", PolicyMatchViewSet, "policy-match", order=51),
    ApiRoute("fulfilments", FulfilmentViewSet, "fulfilment", order=52),
)
