"""Routes of the policy supermarket API, registered on the one router of `lianqi.api.urls`."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from .views import FulfilmentViewSet, PolicyMatchViewSet, PolicyViewSet


def register(router: BaseRouter) -> None:
    """Put the policy viewsets on the API's router."""
    router.register("policies", PolicyViewSet, basename="policy")
    router.register("policy-matches", PolicyMatchViewSet, basename="policy-match")
    router.register("fulfilments", FulfilmentViewSet, basename="fulfilment")
