"""Every read of supply and demand that matters: the lists with their filters, the ranked
suppliers of a need and the needs an offer could serve (through the matching engine), an
enterprise's offers and needs, the figures of the matching events per event and per year, and
the home page's and the measures' counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from lianqi.core.registry import Period
from lianqi.enterprises.models import Enterprise

from . import matching
from .choices import IntroductionState, ListingState
from .filters import NeedFilter, OfferFilter
from .listings import need_listing, offer_listing
from .models import FairDeal, Introduction, MatchingFair, Need, Offer
from .permissions import visible_fairs, visible_introductions, visible_needs, visible_offers
from .texts import reason_text


def offer_list(user: Any, params: Mapping[str, Any] | None = None) -> OfferFilter:
    """The offers a user may see through the list's filters, newest first."""
    return OfferFilter(params or None, queryset=visible_offers(user).select_related("enterprise", "industry"))


def need_list(user: Any, params: Mapping[str, Any] | None = None) -> NeedFilter:
    """The needs a user may see through the list's filters, newest first."""
    return NeedFilter(params or None, queryset=visible_needs(user).select_related("enterprise", "industry"))


def open_offers(user: Any) -> QuerySet[Offer]:
    """The open offers a user may see: the pool a need is matched against."""
    return visible_offers(user).filter(state=ListingState.OPEN).select_related("enterprise", "industry")


def open_needs(user: Any, *, today: dt.date | None = None) -> QuerySet[Need]:
    """The open needs still valid that a user may see: the pool an offer is matched against."""
    today = today or timezone.localdate()
    return (
        visible_needs(user)
        .filter(state=ListingState.OPEN, valid_until__gte=today)
        .select_related("enterprise", "industry")
    )


@dataclass
class Ranked:
    """One ranked candidate for a page: the row, its fit, its distance and its reasons in words."""

    row: Any
    score: int
    reasons: list[str]


def suppliers_for(user: Any, need: Need, *, limit: int = 20) -> list[Ranked]:
    """The open offers the user may see ranked for `need`, each with its reasons in words."""
    offers = {offer.pk: offer for offer in open_offers(user)}
    found = matching.suppliers_for(need_listing(need), map(offer_listing, offers.values()), limit=limit)
    return [Ranked(offers[c.listing.key], c.score, [reason_text(r) for r in c.reasons]) for c in found]


def needs_for(user: Any, offer: Offer, *, limit: int = 20) -> list[Ranked]:
    """The open, valid needs the user may see that `offer` could serve, ranked, with reasons."""
    needs = {need.pk: need for need in open_needs(user)}
    found = matching.needs_for(offer_listing(offer), map(need_listing, needs.values()), limit=limit)
    return [Ranked(needs[c.listing.key], c.score, [reason_text(r) for r in c.reasons]) for c in found]


def introductions_of_need(user: Any, need: Need) -> QuerySet[Introduction]:
    return visible_introductions(user).filter(need=need).select_related("offer__enterprise")


def introductions_of_offer(user: Any, offer: Offer) -> QuerySet[Introduction]:
    return visible_introductions(user).filter(offer=offer).select_related("need__enterprise")


def introduction_list(user: Any, state: str = "") -> QuerySet[Introduction]:
    """The introductions a user may see, under way first, newest first."""
    queryset = visible_introductions(user).select_related("need__enterprise", "offer__enterprise")
    if state in IntroductionState.values:
        queryset = queryset.filter(state=state)
    return queryset.order_by("state", "-created_at", "-pk")


def history(row: Any) -> QuerySet[Any]:
    """A row's events in order, with who acted."""
    return row.events.select_related("actor").order_by("at", "pk")


def for_enterprise(user: Any, enterprise: Enterprise) -> dict[str, Any]:
    """An enterprise's offers, needs and deals that the user may see (its file's section)."""
    return {
        "offers": visible_offers(user).filter(enterprise=enterprise).select_related("industry")[:20],
        "needs": visible_needs(user).filter(enterprise=enterprise).select_related("industry")[:20],
        "deals": visible_introductions(user)
        .filter(
            Q(need__enterprise=enterprise) | Q(offer__enterprise=enterprise), state=IntroductionState.DEAL
        )
        .select_related("need__enterprise", "offer__enterprise")[:20],
        "fair_deals": FairDeal.objects.filter(
            Q(buyer=enterprise) | Q(supplier=enterprise), fair__in=visible_fairs(user)
        ).select_related("fair", "buyer", "supplier")[:20],
    }


def open_for_enterprise(enterprise: Enterprise) -> QuerySet[Need]:
    """An enterprise's open needs, as its own code page shows them."""
    return Need.objects.filter(enterprise=enterprise, state=ListingState.OPEN)


def open_count(user: Any) -> int:
    """Introductions under way that the user may see (the home page's card)."""
    return visible_introductions(user).filter(state=IntroductionState.INTRODUCED).count()


def fair_list(user: Any) -> QuerySet[MatchingFair]:
    """Matching events with their figures: firms invited and attending, deals and amount."""
    return visible_fairs(user).annotate(
        firms=Count("participants__enterprise", distinct=True),
        attending=Count("participants__enterprise", filter=Q(participants__attended=True), distinct=True),
    )


def fair_figures(fair: MatchingFair) -> dict[str, Any]:
    """One matching event's deals: how many and how much (yuan to the fen)."""
    totals = fair.deals.aggregate(count=Count("pk"), amount=Sum("amount"))
    return {"deals": totals["count"], "amount": totals["amount"] or Decimal("0.00")}


def _fairs_in(path: str, period: Period) -> QuerySet[MatchingFair]:
    return MatchingFair.objects.filter(
        jurisdiction_path__startswith=path, held_on__gte=period.start, held_on__lte=period.end
    )


def fair_count(path: str, period: Period) -> int:
    """Matching events held in `period` in a jurisdiction and those below it (a measure)."""
    return _fairs_in(path, period).count()


def fair_firm_count(path: str, period: Period) -> int:
    """Distinct enterprises that attended a matching event in `period` (a measure)."""
    return (
        _fairs_in(path, period)
        .filter(participants__attended=True)
        .values("participants__enterprise")
        .distinct()
        .count()
    )


def fair_deal_count(path: str, period: Period) -> int:
    """Deals signed at matching events held in `period` (a measure)."""
    return FairDeal.objects.filter(fair__in=_fairs_in(path, period)).count()


def fair_deal_amount(path: str, period: Period) -> Decimal:
    """The amount of the deals signed at matching events held in `period`, in 万元 exactly (a
    measure: officials read it in 万元; stored in yuan to the fen)."""
    total = FairDeal.objects.filter(fair__in=_fairs_in(path, period)).aggregate(total=Sum("amount"))["total"]
    return (total or Decimal("0")) / Decimal("10000")


def introduction_deal_amount(path: str, period: Period) -> Decimal:
    """The amount of the deals that introductions led to, dated in `period`, in 万元 (a measure)."""
    total = Introduction.objects.filter(
        jurisdiction_path__startswith=path,
        state=IntroductionState.DEAL,
        deal_on__gte=period.start,
        deal_on__lte=period.end,
    ).aggregate(total=Sum("deal_amount"))["total"]
    return (total or Decimal("0")) / Decimal("10000")


def year_figures(user: Any, year: int) -> dict[str, Any]:
    """The matching events a user may see held in `year`: how many, the distinct firms that
    came, the deals signed and their amount (yuan to the fen)."""
    fairs = visible_fairs(user).filter(held_on__year=year)
    deals = FairDeal.objects.filter(fair__in=fairs).aggregate(count=Count("pk"), amount=Sum("amount"))
    firms = fairs.filter(participants__attended=True).values("participants__enterprise").distinct().count()
    return {
        "year": year,
        "events": fairs.count(),
        "firms": firms,
        "deals": deals["count"],
        "amount": deals["amount"] or Decimal("0.00"),
    }
