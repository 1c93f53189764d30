"""Routes of the market's API, put on the one router of `lianqi.api` through the API registry
(see `apps.py`)."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import ChainViewSet, FairViewSet, IntroductionViewSet, NeedViewSet, OfferViewSet, PurchaseViewSet

ROUTES = (
    ApiRoute("market/offers", OfferViewSet, "market-offer", order=100),
    ApiRoute("market/needs", NeedViewSet, "market-need", order=101),
    ApiRoute("market/introductions", IntroductionViewSet, "market-introduction", order=102),
    ApiRoute("market/fairs", FairViewSet, "market-fair", order=103),
    ApiRoute("market/purchases", PurchaseViewSet, "market-purchase", order=104),
    ApiRoute("market/chains", ChainViewSet, "market-chain", order=105),
)
