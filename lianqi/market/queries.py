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

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from lianqi.core.registry import Period
from lianqi.enterprises.models import Enterprise, YearFigure

from . import chainmap, matching
from .choices import ChainRole, IntroductionState, ListingState
from .filters import NeedFilter, OfferFilter
from .listings import need_listing, offer_listing
from .models import Chain, FairDeal, Introduction, MatchingFair, Need, Offer, Purchase, PurchaseTotal
from .permissions import (
    visible_chains,
    visible_fairs,
    visible_introductions,
    visible_needs,
    visible_offers,
    visible_purchases,
)
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
    """Matching events with their figures: firms invited and attending, deals and amount; the
    latest first (ordered here: a grouped query drops the model's default order)."""
    return (
        visible_fairs(user)
        .annotate(
            firms=Count("participants__enterprise", distinct=True),
            attending=Count("participants__enterprise", filter=Q(participants__attended=True), distinct=True),
        )
        .order_by("-held_on", "-pk")
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


# --- Purchases and the industrial chains -------------------------------------------------------


def purchase_list(user: Any, *, year: int | None = None, q: str = "", local: str = "") -> QuerySet[Purchase]:
    """The purchases a user may see, newest year first, filtered by year, buyer or supplier
    name and locality."""
    queryset = visible_purchases(user).select_related("buyer", "supplier")
    if year:
        queryset = queryset.filter(year=year)
    if q.strip():
        queryset = queryset.filter(Q(buyer__name__contains=q.strip()) | Q(supplier_name__contains=q.strip()))
    if local in ("1", "0"):
        queryset = queryset.filter(is_local=local == "1")
    return queryset


def purchase_totals(queryset: QuerySet[Purchase]) -> dict[str, Any]:
    """Purchases in all and from local suppliers (yuan) with the local share."""
    totals = queryset.aggregate(total=Sum("amount"), local=Sum("amount", filter=Q(is_local=True)))
    total = totals["total"] or Decimal("0.00")
    local = totals["local"] or Decimal("0.00")
    return {"total": total, "local": local, "rate": chainmap.rate(local, total)}


def chain_list(user: Any) -> QuerySet[Chain]:
    """The chains a user may see with their numbers of nodes and firms."""
    return (
        visible_chains(user)
        .select_related("jurisdiction", "home_park")
        .annotate(
            node_count=Count("nodes", distinct=True),
            firm_count=Count("firms__enterprise", distinct=True),
        )
        .order_by("name", "pk")
    )


def home_path(chain: Chain) -> str:
    """The path of the park the chain gathers in: its home park, or its own jurisdiction when
    that is a park; empty when the chain has none (every firm is then "in the city")."""
    if chain.home_park_id and chain.home_park is not None:
        return chain.home_park.path
    parts = [p for p in chain.jurisdiction_path.split("/") if p]
    return chain.jurisdiction_path if len(parts) >= 3 else ""


def chain_year(chain: Chain, today: dt.date | None = None) -> int:
    """The year a chain's page shows by default: the latest with purchases on record for its
    enterprises, else last year."""
    latest = PurchaseTotal.objects.filter(buyer_id__in=chain.firms.values("enterprise_id")).aggregate(
        latest=Max("year")
    )["latest"]
    return latest or (today or timezone.localdate()).year - 1


def chain_spend(chain: Chain, year: int) -> dict[int, chainmap.Spend]:
    """Each chain enterprise's purchases in `year`: from local suppliers and in all, read from
    the yearly cells kept as purchases are recorded (one row per enterprise)."""
    rows = PurchaseTotal.objects.filter(
        year=year, buyer_id__in=chain.firms.values("enterprise_id")
    ).values_list("buyer_id", "local", "total")
    return {buyer: chainmap.Spend(local=local, total=total) for buyer, local, total in rows}


@dataclass
class ChainMap:
    """A chain's page: the engine's figures, the firms by id, the year, output and growth."""

    chain: Chain
    year: int
    figures: chainmap.ChainFigures
    firms: dict[int, dict[str, Any]]
    roles: dict[tuple[int, int], str]
    output: Decimal | None
    previous_output: Decimal | None

    @property
    def growth(self) -> Decimal | None:
        return chainmap.growth(self.output, self.previous_output)


def chain_map(chain: Chain, year: int) -> ChainMap:
    """The chain's map for `year` (see `chainmap`): nodes with their firms in the park and in the
    city, coverage, local supporting rate by node and for the chain, and the chain's output
    (its enterprises' yearly output value, 万元) with its growth on the year before."""
    nodes = [
        chainmap.Node(key=n["pk"], parent=n["parent_id"], name=n["name"], order=n["order"])
        for n in chain.nodes.values("pk", "parent_id", "name", "order")
    ]
    park = home_path(chain)
    placements: list[chainmap.Placement] = []
    firms: dict[int, dict[str, Any]] = {}
    roles: dict[tuple[int, int], str] = {}
    for row in chain.firms.values(
        "node_id", "role", "enterprise_id", "enterprise__name", "enterprise__jurisdiction_path"
    ):
        path = row["enterprise__jurisdiction_path"]
        place = chainmap.PARK if park and path.startswith(park) else chainmap.CITY
        placements.append(chainmap.Placement(row["node_id"], row["enterprise_id"], row["role"], place))
        firms[row["enterprise_id"]] = {"name": row["enterprise__name"], "place": place}
        roles[(row["node_id"], row["enterprise_id"])] = row["role"]
    figures = chainmap.chain_figures(nodes, placements, chain_spend(chain, year))
    outputs = dict(
        YearFigure.objects.filter(
            enterprise_id__in=chain.firms.values("enterprise_id"),
            year__in=(year, year - 1),
            output_value__isnull=False,
        )
        .values("year")
        .annotate(total=Sum("output_value"))
        .values_list("year", "total")
    )
    return ChainMap(
        chain=chain,
        year=year,
        figures=figures,
        firms=firms,
        roles=roles,
        output=outputs.get(year),
        previous_output=outputs.get(year - 1),
    )


def chain_tree(found: ChainMap) -> list[dict[str, Any]]:
    """The chain as the nested data of an ECharts tree: each node with its coverage, its firms
    in the park and the city, and its rate in words."""
    by_key: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for figure in found.figures.nodes:
        node = figure.node
        item = {
            "name": node.name,
            "coverage": figure.coverage,
            "park": len(figure.park_firms),
            "city": len(figure.city_firms),
            "rate": None if figure.rate is None else float(figure.rate * 100),
            "children": [],
        }
        by_key[node.key] = item
        parent = by_key.get(node.parent) if node.parent is not None else None
        (parent["children"] if parent is not None else roots).append(item)
    return roots


def chain_needs(user: Any, chain: Chain, *, today: dt.date | None = None) -> QuerySet[Need]:
    """The open, valid needs of the chain's enterprises that the user may see."""
    return open_needs(user, today=today).filter(enterprise_id__in=chain.firms.values("enterprise_id"))


def brochure(chains: QuerySet[Chain], firms_in: QuerySet[Enterprise]) -> list[dict[str, Any]]:
    """The park's product catalogue (企业产品宣传手册): by chain, each node's enterprises among
    `firms_in` with their open offers (products); then the other enterprises with offers, by
    industry. Only what could be printed on a factory gate: names, products, address, and the
    contact's title (never a phone number)."""
    allowed = set(firms_in.values_list("pk", flat=True))
    products: dict[int, list[str]] = {}
    for enterprise_id, product in (
        Offer.objects.filter(state=ListingState.OPEN, enterprise_id__in=allowed)
        .order_by("enterprise_id", "pk")
        .values_list("enterprise_id", "product")
    ):
        mine = products.setdefault(enterprise_id, [])
        if product not in mine:
            mine.append(product)
    placed: set[int] = set()
    sections: list[dict[str, Any]] = []
    for chain in chains.order_by("name", "pk"):
        groups = []
        for node in chain.nodes.order_by("order", "pk"):
            ids = [
                f.enterprise_id
                for f in node.firms.order_by("role", "enterprise__name")
                if f.enterprise_id in allowed
            ]
            if ids:
                groups.append({"title": node.name, "ids": ids})
                placed.update(ids)
        if groups:
            sections.append({"title": chain.name, "groups": groups})
    rest: dict[str, list[int]] = {}
    for enterprise in (
        Enterprise.objects.filter(pk__in=[e for e in products if e not in placed])
        .select_related("industry")
        .order_by("industry_id", "name")
    ):
        rest.setdefault(str(enterprise.industry), []).append(enterprise.pk)
    if rest:
        sections.append(
            {"title": "", "groups": [{"title": title, "ids": ids} for title, ids in sorted(rest.items())]}
        )
    every = {i for s in sections for g in s["groups"] for i in g["ids"]}
    enterprises = Enterprise.objects.filter(pk__in=every).prefetch_related("contacts")
    cards: dict[int, dict[str, Any]] = {}
    for enterprise in enterprises:
        contacts = list(enterprise.contacts.all())
        primary = next((c for c in contacts if c.is_primary), contacts[0] if contacts else None)
        cards[enterprise.pk] = {
            "name": enterprise.name,
            "address": enterprise.address,
            "products": products.get(enterprise.pk, []),
            "contact": primary.title if primary is not None and primary.title else "",
        }
    for section in sections:
        for group in section["groups"]:
            group["firms"] = [cards[i] for i in group.pop("ids") if i in cards]
    return sections


def chain_targets(chain: Chain) -> list[str]:
    """The chain's missing nodes (no firm on them): the targets a chain's matching event lists."""
    found = chainmap.chain_figures(
        [chainmap.Node(n.pk, n.parent_id, n.name, n.order) for n in chain.nodes.all()],
        [chainmap.Placement(f.node_id, f.enterprise_id, f.role, chainmap.CITY) for f in chain.firms.all()],
        {},
    )
    return [n.node.name for n in found.missing]


#: How many firms of a node, in the park and in the city, the chain page names.
FIRMS_SHOWN = 8


def named_firms(found: ChainMap, node: int, ids: list[int]) -> dict[str, Any]:
    """The first `FIRMS_SHOWN` firms of `ids` on the chain map's `node` with their role there,
    and how many more the node holds."""
    labels = dict(ChainRole.choices)
    shown = [
        {"name": found.firms[i]["name"], "role": labels.get(found.roles.get((node, i), ""), "")}
        for i in ids[:FIRMS_SHOWN]
    ]
    return {"shown": shown, "more": max(0, len(ids) - FIRMS_SHOWN)}
