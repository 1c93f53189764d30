"""The demo city's supply and demand (seed 001): a year of the manufacturers' offers and needs,
the park's introductions followed to deals or dropped, and 13 matching events (供需对接会) in
the main park whose deals add up to ¥1.0bn.

Offers are drawn for the city's manufacturers from their industry line's product
(`catalogue.MANUFACTURING`); the main park's manufacturers post needs for the products of the
lines they buy from (`BUYS_FROM`), some of them served today from outside the province. Rows
are written in bulk with their first event, as the actions would write them."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from lianqi.accounts.models import User
from lianqi.enterprises.models import Enterprise, Industry
from lianqi.market import matching
from lianqi.market.choices import (
    IntroductionAction,
    IntroductionState,
    ListingAction,
    ListingState,
    ParticipantRole,
    SupplierRegion,
    Visibility,
)
from lianqi.market.listings import need_listing, offer_listing
from lianqi.market.models import (
    FairDeal,
    FairParticipant,
    Introduction,
    IntroductionEvent,
    MatchingFair,
    Need,
    NeedEvent,
    Offer,
    OfferEvent,
)
from lianqi.market.texts import reasons_text
from lianqi.org.models import Jurisdiction
from lianqi.policies.money import to_fen

from .catalogue import MANUFACTURING

#: Seed 001: 13 matching events, ¥1.0bn of orders in the year.
FAIRS = 13
FAIR_AMOUNT = Decimal("1000000000.00")
#: Which lines each line buys from (by GB/T 4754 class): the chains of the demo city.
BUYS_FROM: dict[str, tuple[str, ...]] = {
    "3612": ("3670", "3841", "3831", "3252", "3982", "3983", "3812"),
    "3670": ("3240", "3252", "2651", "3453", "3062"),
    "3841": ("3091", "2661", "3831"),
    "3823": ("3831", "3982", "3983"),
    "3812": ("3240", "3453"),
    "3415": ("3453", "3812", "3831", "3062"),
    "3581": ("3982", "3983", "2651"),
    "3584": ("2770", "2651", "3982"),
    "3491": ("3812", "3453", "3983"),
    "3514": ("3311", "3441", "3453", "3240"),
}
THEMES = (
    "新能源汽车产业链供需对接会",
    "电工电气产业配套对接会",
    "医疗器械产业链对接会",
    "先进材料供需对接会",
    "智能装备本地配套对接会",
    "央企国企采购对接会",
    "线缆产业链供需对接会",
)
UNITS = ("套", "吨", "件", "千米", "台")
CERTIFICATIONS = ("ISO9001", "IATF16949", "CCC", "ISO13485", "ISO14001")
DROP_REASONS = ("价格高于现供应商", "产能暂不满足", "认证尚未取得", "采购方改用原供应商")


@dataclass
class MarketFigures:
    """What the demo's market holds, for the command to print and the tests to check."""

    offers: int = 0
    needs: int = 0
    introductions: int = 0
    deals: int = 0
    fairs: int = 0
    fair_amount: Decimal = Decimal("0.00")


def build_market(
    *, park: Jurisdiction, city: Jurisdiction, seed: int, scale: float, today: dt.date, office: User | None
) -> MarketFigures:
    """The year up to `today` of the city's supply and demand (see the module's docstring)."""
    rng = random.Random(seed * 7 + 16)
    figures = MarketFigures()
    products = {line.code: line for line in MANUFACTURING if line.product}
    # A line is stored under its class when the full table is loaded, under its division when
    # only the shipped divisions are (enterprises are then registered by division too).
    loaded = set(
        Industry.objects.filter(code__in=[*products, *(c[:2] for c in products)]).values_list(
            "code", flat=True
        )
    )
    stored = {
        code: code if code in loaded else code[:2]
        for code in products
        if code in loaded or code[:2] in loaded
    }
    line_of: dict[str, str] = {}
    for code in stored:
        line_of.setdefault(code, code)
        line_of.setdefault(code[:2], code)
    makers = list(
        Enterprise.objects.filter(jurisdiction_path__startswith=city.path, industry_id__in=line_of)
        .select_related("jurisdiction")
        .order_by("pk")
    )
    for enterprise in makers:
        enterprise._line = line_of[enterprise.industry_id]  # type: ignore[attr-defined]
    start = today - dt.timedelta(days=364)

    def moment(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10, rng.randrange(60))))

    offers: list[Offer] = []
    for enterprise in makers:
        if rng.random() > 0.55:
            continue
        line = products[enterprise._line]  # type: ignore[attr-defined]
        capacity = Decimal(rng.choice((500, 1000, 2000, 5000, 20000)))
        offer = Offer(
            jurisdiction=enterprise.jurisdiction,
            enterprise=enterprise,
            product=line.product,
            industry_id=stored[line.code],
            keywords=" ".join(line.words),
            specification=f"{line.product}系列，可按图定制",
            capacity=capacity,
            unit=rng.choice(UNITS),
            certifications="、".join(rng.sample(CERTIFICATIONS, rng.randint(1, 2))),
            price_band=rng.choice(("面议", "低于市场价5%", "市场价")),
            visibility=Visibility.ENTERPRISES if rng.random() < 0.7 else Visibility.OFFICE,
            last_actor=office,
        )
        offer.fill_derived_fields()
        offers.append(offer)
    Offer.objects.bulk_create(offers, batch_size=500)
    figures.offers = len(offers)

    buys_from = {
        code: [supplier for supplier in suppliers if supplier in stored]
        for code, suppliers in BUYS_FROM.items()
    }
    buyers = [
        e
        for e in makers
        if e.jurisdiction_id == park.pk and buys_from.get(e._line)  # type: ignore[attr-defined]
    ]
    wanted = max(1, round(len(buyers) * 1.6 * scale))
    needs: list[Need] = []
    for _ in range(wanted if buyers else 0):
        buyer = rng.choice(buyers)
        line = products[rng.choice(buys_from[buyer._line])]  # type: ignore[attr-defined]
        recorded = start + dt.timedelta(days=rng.randrange(365))
        need = Need(
            jurisdiction=buyer.jurisdiction,
            enterprise=buyer,
            item=line.product,
            industry_id=stored[line.code],
            keywords=rng.choice(line.words),
            quantity=Decimal(rng.choice((50, 100, 300, 800, 1500))),
            unit=rng.choice(UNITS),
            budget=to_fen(Decimal(rng.randint(200_000, 30_000_000)) + Decimal(rng.randrange(100)) / 100),
            wanted_by=recorded + dt.timedelta(days=rng.randint(30, 120)),
            valid_until=recorded + dt.timedelta(days=rng.randint(90, 240)),
            current_supplier_region=rng.choice(
                (
                    SupplierRegion.ELSEWHERE,
                    SupplierRegion.ELSEWHERE,
                    SupplierRegion.PROVINCE,
                    SupplierRegion.NONE,
                )
            ),
            visibility=Visibility.ENTERPRISES if rng.random() < 0.6 else Visibility.OFFICE,
            last_actor=office,
        )
        need.fill_derived_fields()
        need._recorded = recorded  # type: ignore[attr-defined]
        needs.append(need)
    Need.objects.bulk_create(needs, batch_size=500)
    figures.needs = len(needs)
    OfferEvent.objects.bulk_create(
        [
            OfferEvent(
                offer=o,
                jurisdiction_path=o.jurisdiction_path,
                action=ListingAction.CREATE,
                to_state=ListingState.OPEN,
                actor=office,
                at=moment(start + dt.timedelta(days=rng.randrange(60))),
            )
            for o in offers
        ],
        batch_size=1000,
    )
    NeedEvent.objects.bulk_create(
        [
            NeedEvent(
                need=n,
                jurisdiction_path=n.jurisdiction_path,
                action=ListingAction.CREATE,
                to_state=ListingState.OPEN,
                actor=office,
                at=moment(n._recorded),  # type: ignore[attr-defined]
            )
            for n in needs
        ],
        batch_size=1000,
    )

    # Introductions: the office introduces a supplier of the need's line to about half the needs.
    by_line: dict[str, list[Offer]] = {}
    for offer in offers:
        by_line.setdefault(offer.industry_id, []).append(offer)
    introductions: list[Introduction] = []
    for need in needs:
        candidates = [o for o in by_line.get(need.industry_id, []) if o.enterprise_id != need.enterprise_id]
        if not candidates or rng.random() > 0.5:
            continue
        offer = rng.choice(candidates)
        # The reasons the matching engine gives, as an introduction made on the page keeps them.
        found = matching.suppliers_for(need_listing(need), [offer_listing(offer)], limit=1)
        introduced = need._recorded + dt.timedelta(days=rng.randint(2, 20))  # type: ignore[attr-defined]
        state = rng.choices(
            (IntroductionState.DEAL, IntroductionState.DROPPED, IntroductionState.INTRODUCED), (45, 25, 30)
        )[0]
        if introduced + dt.timedelta(days=30) > today:
            state = IntroductionState.INTRODUCED
        row = Introduction(
            jurisdiction=need.jurisdiction,
            need=need,
            offer=offer,
            score=found[0].score if found else 0,
            reasons=reasons_text(found[0].reasons) if found else "",
            state=state,
            version=1 if state == IntroductionState.INTRODUCED else 2,
            last_actor=office,
        )
        if state == IntroductionState.DEAL:
            row.deal_amount = to_fen((need.budget or Decimal("100000")) * Decimal(rng.randint(60, 100)) / 100)
            row.deal_on = introduced + dt.timedelta(days=rng.randint(7, 30))
        elif state == IntroductionState.DROPPED:
            row.drop_reason = rng.choice(DROP_REASONS)
        row.fill_derived_fields()
        row._introduced = introduced  # type: ignore[attr-defined]
        introductions.append(row)
    Introduction.objects.bulk_create(introductions, batch_size=500)
    events: list[IntroductionEvent] = []
    for row in introductions:
        at = moment(row._introduced)  # type: ignore[attr-defined]
        events.append(
            IntroductionEvent(
                introduction=row,
                jurisdiction_path=row.jurisdiction_path,
                action=IntroductionAction.INTRODUCE,
                to_state=IntroductionState.INTRODUCED,
                actor=office,
                at=at,
            )
        )
        if row.state != IntroductionState.INTRODUCED:
            action = (
                IntroductionAction.RECORD_DEAL
                if row.state == IntroductionState.DEAL
                else IntroductionAction.DROP
            )
            events.append(
                IntroductionEvent(
                    introduction=row,
                    jurisdiction_path=row.jurisdiction_path,
                    action=action,
                    from_state=IntroductionState.INTRODUCED,
                    to_state=row.state,
                    actor=office,
                    note=row.drop_reason,
                    at=at + dt.timedelta(days=20),
                )
            )
    IntroductionEvent.objects.bulk_create(events, batch_size=1000)
    figures.introductions = len(introductions)
    figures.deals = sum(row.state == IntroductionState.DEAL for row in introductions)

    _fairs(
        park=park,
        makers=makers,
        industries={stored[code] for code in BUYS_FROM if code in stored},
        rng=rng,
        start=start,
        today=today,
        office=office,
        figures=figures,
    )
    return figures


def _fairs(
    *,
    park: Jurisdiction,
    makers: list[Enterprise],
    industries: set[str],
    rng: random.Random,
    start: dt.date,
    today: dt.date,
    office: User | None,
    figures: MarketFigures,
) -> None:
    """13 matching events spread over the year, 12–30 firms each, whose deals add up to exactly
    ¥1.0bn (amounts drawn by weight, to the fen, the last one taking the remainder)."""
    if len(makers) < 2:
        return
    fairs = [
        MatchingFair(
            jurisdiction=park,
            held_on=start + dt.timedelta(days=14 + i * 26 + rng.randrange(7)),
            theme=THEMES[i % len(THEMES)],
            industry_id=rng.choice(sorted(industries) or [None]),
            recorded_by=office,
        )
        for i in range(FAIRS)
    ]
    for fair in fairs:
        fair.held_on = min(fair.held_on, today)
        fair.fill_derived_fields()
    MatchingFair.objects.bulk_create(fairs)
    participants: list[FairParticipant] = []
    drafts: list[tuple[MatchingFair, Enterprise, Enterprise, str, float]] = []
    for fair in fairs:
        firms = rng.sample(makers, min(len(makers), rng.randint(12, 30)))
        half = len(firms) // 2
        buyers, suppliers = firms[:half] or firms[:1], firms[half:] or firms[-1:]
        for enterprise in buyers:
            participants.append(
                FairParticipant(
                    fair=fair, enterprise=enterprise, role=ParticipantRole.BUYER, attended=rng.random() < 0.9
                )
            )
        for enterprise in suppliers:
            participants.append(
                FairParticipant(
                    fair=fair,
                    enterprise=enterprise,
                    role=ParticipantRole.SUPPLIER,
                    attended=rng.random() < 0.9,
                )
            )
        for _ in range(rng.randint(4, 9)):
            buyer, supplier = rng.choice(buyers), rng.choice(suppliers)
            if buyer.pk != supplier.pk:
                drafts.append((fair, buyer, supplier, rng.choice(THEMES)[:-3], rng.lognormvariate(0, 0.8)))
    FairParticipant.objects.bulk_create(participants, batch_size=1000, ignore_conflicts=True)
    total_weight = sum(weight for *_rest, weight in drafts)
    deals: list[FairDeal] = []
    given = Decimal("0.00")
    for index, (fair, buyer, supplier, subject, weight) in enumerate(drafts):
        if index == len(drafts) - 1:
            amount = FAIR_AMOUNT - given
        else:
            amount = to_fen(FAIR_AMOUNT * Decimal(weight / total_weight))
        given += amount
        deals.append(
            FairDeal(fair=fair, buyer=buyer, supplier=supplier, subject=f"{subject}采购合作", amount=amount)
        )
    FairDeal.objects.bulk_create(deals, batch_size=1000)
    figures.fairs = len(fairs)
    figures.fair_amount = sum((deal.amount for deal in deals), Decimal("0.00"))
