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
from lianqi.enterprises import creditcode
from lianqi.enterprises.models import Enterprise, Industry
from lianqi.market import matching, queries
from lianqi.market.actions import purchases as purchase_actions
from lianqi.market.actions import subsidy as subsidy_actions
from lianqi.market.choices import (
    LOCAL_PLACES,
    ChainRole,
    IntroductionAction,
    IntroductionState,
    ListingAction,
    ListingState,
    ParticipantRole,
    PurchaseSource,
    SupplierPlace,
    SupplierRegion,
    Visibility,
)
from lianqi.market.listings import need_listing, offer_listing
from lianqi.market.models import (
    Chain,
    ChainFirm,
    ChainNode,
    CommitteeMeeting,
    CommitteeMember,
    FairDeal,
    FairParticipant,
    Introduction,
    IntroductionEvent,
    MatchingFair,
    Need,
    NeedEvent,
    Offer,
    OfferEvent,
    Purchase,
)
from lianqi.market.texts import reasons_text
from lianqi.org.models import Jurisdiction
from lianqi.policies.models import Policy
from lianqi.policies.money import to_fen
from lianqi.policies.queries import version_on

from . import names
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
    chains: ChainFigures | None = None


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
    figures.chains = build_chains(city=city, park=park, seed=seed, scale=scale, today=today, office=office)
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


# --- Industrial chains, purchases, the local-purchase subsidy (seeds 004, 001) -----------------

#: The new-energy-vehicle chain's tree: (node, parent, lines whose firms sit on it, role). A
#: node without lines has no firm in the city: a target of chain investment attraction.
NEV_NODES: tuple[tuple[str, str | None, tuple[str, ...], str], ...] = (
    ("整车制造", None, ("3612",), ChainRole.LEADER),
    ("动力电池", "整车制造", ("3841",), ChainRole.KEY),
    ("正负极材料", "动力电池", ("3091", "2661"), ChainRole.SUPPORTING),
    ("隔膜", "动力电池", ("2651",), ChainRole.SUPPORTING),
    ("电解液", "动力电池", (), ChainRole.SUPPORTING),
    ("电驱动", "整车制造", ("3812",), ChainRole.KEY),
    ("减速器", "电驱动", ("3453",), ChainRole.SUPPORTING),
    ("电机控制器", "电驱动", (), ChainRole.SUPPORTING),
    ("车身与底盘", "整车制造", ("3670",), ChainRole.KEY),
    ("铝合金型材", "车身与底盘", ("3252", "3240"), ChainRole.SUPPORTING),
    ("复合材料部件", "车身与底盘", ("3062",), ChainRole.SUPPORTING),
    ("汽车电子", "整车制造", ("3982", "3983"), ChainRole.SUPPORTING),
    ("线束", "汽车电子", ("3831",), ChainRole.SUPPORTING),
    ("车规级芯片", "汽车电子", (), ChainRole.SUPPORTING),
    ("热管理系统", "整车制造", (), ChainRole.SUPPORTING),
)
#: The cable chain of the main park.
CABLE_NODES: tuple[tuple[str, str | None, tuple[str, ...], str], ...] = (
    ("电线电缆", None, ("3831",), ChainRole.LEADER),
    ("导体材料", "电线电缆", ("3240", "3252"), ChainRole.SUPPORTING),
    ("绝缘与护套材料", "电线电缆", ("2651",), ChainRole.SUPPORTING),
    ("电缆附件", "电线电缆", (), ChainRole.SUPPORTING),
    ("配电与应用", "电线电缆", ("3823", "3415"), ChainRole.KEY),
)
#: Suppliers outside the city the chains buy from: (division of registration, place name).
FAR_SUPPLIERS = (
    ("320500", "苏州"),
    ("330200", "宁波"),
    ("440300", "深圳"),
    ("310115", "上海"),
    ("430100", "长沙"),
    ("430200", "株洲"),
    ("370200", "青岛"),
    ("420100", "武汉"),
)
FAR_WORDS = ("汽车部件", "精密机械", "电子科技", "新材料", "金属制品", "供应链管理")
COMMITTEE_UNITS = (
    ("书记", "市委常委、常务副市长"),
    ("副书记", "市工业和信息化局党组书记、局长"),
    ("副书记", "湘潭经开区党工委书记"),
    ("委员", "市商务局党组成员、副局长"),
    ("委员", "市科学技术局党组成员、副局长"),
    ("委员", "链主企业党委书记"),
    ("委员", "链主企业党委书记"),
)
MEETINGS = (
    (
        "产业链党委扩大会议",
        "梳理缺链环节，明确电解液、热管理系统招商目标；整车企业本地采购清单下发配套企业。",
    ),
    ("一季度产业链调度会", "协调零部件企业用地 2 宗、用工 120 人；推动 3 家配套企业进入整车企业供应商名录。"),
    ("二季度产业链调度会", "组织整车与电池企业供需对接，签订配套协议 6 份；督办物流降本事项。"),
    ("三季度产业链调度会", "研究醇氢电动商用车推广应用政策；链上党员先锋岗挂牌。"),
)


@dataclass
class ChainFigures:
    """What the demo's chains hold, for the tests to check."""

    chains: int = 0
    firms: int = 0
    purchases: int = 0
    rate: Decimal | None = None
    subsidy_entries: int = 0
    subsidy_amount: Decimal = Decimal("0.00")


def _far_supplier(rng: random.Random, serial: int) -> tuple[str, str]:
    division, place = rng.choice(FAR_SUPPLIERS)
    code = creditcode.complete(f"91{division}{serial:09d}"[:17])
    return f"{place}{names.brand(rng)}{rng.choice(FAR_WORDS)}有限公司", code


def _place_chain(
    chain: Chain,
    spec: tuple[tuple[str, str | None, tuple[str, ...], str], ...],
    by_line: dict[str, list[Enterprise]],
    quota: dict[str, int],
) -> list[ChainFirm]:
    nodes: dict[str, ChainNode] = {}
    placed: list[ChainFirm] = []
    for order, (name, parent, lines, role) in enumerate(spec):
        node = ChainNode.objects.create(chain=chain, parent=nodes.get(parent or ""), name=name, order=order)
        nodes[name] = node
        for line in lines:
            for enterprise in by_line.get(line, [])[: quota.get(line, 99)]:
                placed.append(ChainFirm(chain=chain, node=node, enterprise=enterprise, role=role))
    ChainFirm.objects.bulk_create(placed, ignore_conflicts=True)
    return placed


def _purchases(
    *,
    buyers: list[Enterprise],
    local_pool: list[Enterprise],
    years: dict[int, Decimal],
    rng: random.Random,
    serial: list[int],
    big: set[int],
    office: User | None,
) -> list[Purchase]:
    """Each buyer's purchases in each year: a few local suppliers from `local_pool` and a few
    from outside the city, scaled so that the buyers' local share in each year is the one asked
    for (a little over 40 % in the last year)."""
    rows: list[Purchase] = []
    for year, target in years.items():
        local_rows: list[Purchase] = []
        far_rows: list[Purchase] = []
        for buyer in buyers:
            spend = (
                Decimal(rng.randint(200_000, 800_000) if buyer.pk in big else rng.randint(3_000, 40_000))
                * 1000
            )
            suppliers = [s for s in rng.sample(local_pool, min(len(local_pool), 6)) if s.pk != buyer.pk][:4]
            for supplier in suppliers:
                place = purchase_actions.supplier_place(
                    buyer.jurisdiction_path, supplier_path=supplier.jurisdiction_path
                )
                local_rows.append(
                    Purchase(
                        jurisdiction_id=buyer.jurisdiction_id,
                        jurisdiction_path=buyer.jurisdiction_path,
                        buyer=buyer,
                        year=year,
                        supplier=supplier,
                        supplier_name=supplier.name,
                        supplier_credit_code=supplier.credit_code,
                        place=place,
                        is_local=place in LOCAL_PLACES,
                        item=rng.choice(("零部件", "原材料", "配套件", "加工服务")),
                        amount=to_fen(spend * Decimal(rng.uniform(0.05, 0.2))),
                        strategic=rng.random() < 0.5,
                        source=PurchaseSource.IMPORT,
                        recorded_by=office,
                    )
                )
            for _ in range(rng.randint(2, 4)):
                serial[0] += 1
                name, code = _far_supplier(rng, serial[0])
                place = purchase_actions.supplier_place(buyer.jurisdiction_path, division=code[2:8])
                far_rows.append(
                    Purchase(
                        jurisdiction_id=buyer.jurisdiction_id,
                        jurisdiction_path=buyer.jurisdiction_path,
                        buyer=buyer,
                        year=year,
                        supplier_name=name,
                        supplier_credit_code=code,
                        place=place,
                        is_local=False,
                        item=rng.choice(("零部件", "原材料", "芯片模组", "标准件")),
                        amount=to_fen(spend * Decimal(rng.uniform(0.1, 0.3))),
                        strategic=False,
                        source=PurchaseSource.IMPORT,
                        recorded_by=office,
                    )
                )
        # Scale the purchases from outside so that local ÷ total is the target, to the fen.
        local = sum((r.amount for r in local_rows if r.is_local), Decimal("0"))
        far = sum((r.amount for r in far_rows), Decimal("0")) + sum(
            (r.amount for r in local_rows if not r.is_local), Decimal("0")
        )
        if local > 0 and far > 0:
            factor = local * (1 - target) / target / far
            for row in far_rows:
                row.amount = max(Decimal("0.01"), to_fen(row.amount * factor))
        rows += local_rows + far_rows
    return rows


def build_chains(
    *, city: Jurisdiction, park: Jurisdiction, seed: int, scale: float, today: dt.date, office: User | None
) -> ChainFigures:
    """The city's new-energy-vehicle chain (seed 004: four vehicle makers, 80-odd parts firms on
    its nodes, a local supporting rate a little over 40 % from the purchases on record), the main
    park's cable chain, Shaoshan's firms' purchases and the local-purchase subsidy entered in the
    policy's ledger from them."""
    rng = random.Random(seed * 13 + 4)
    figures = ChainFigures()
    parks = {j.short_name: j for j in Jurisdiction.objects.filter(parent=city)}
    auto_park = parks.get("湘潭经开区", park)
    manufacturers = list(
        Enterprise.objects.filter(
            jurisdiction_path__startswith=city.path,
            kind__in=("above_size", "below_size"),
            industry__section="C",
        ).order_by("pk")
    )
    by_line: dict[str, list[Enterprise]] = {}
    for enterprise in manufacturers:
        by_line.setdefault(_line_code(enterprise), []).append(enterprise)
    for firms in by_line.values():
        # The chain's own park first, larger firms (above size) first.
        firms.sort(
            key=lambda e: (not e.jurisdiction_path.startswith(auto_park.path), e.kind != "above_size", e.pk)
        )
    parts_wanted = max(24, round(84 * min(scale, 1.0)))
    part_lines = [line for _n, _p, lines, _r in NEV_NODES[1:] for line in lines]
    quota = {"3612": 4}
    available = {line: len(by_line.get(line, [])) for line in part_lines}
    share = _share_quota(parts_wanted, available)
    quota.update(share)
    nev = Chain.objects.create(
        jurisdiction=city,
        name="新能源和汽车",
        description="长株潭新能源汽车城：研发设计、整车制造、零部件生产、新能源材料、检测认证的全产业链。",
        home_park=auto_park,
        leader_name=names.person_name(rng),
        leader_title="市长（链长）",
        committee_name="湘潭市新能源和汽车产业链党委",
    )
    nev_firms = _place_chain(nev, NEV_NODES, by_line, quota)
    CommitteeMember.objects.bulk_create(
        [
            CommitteeMember(chain=nev, name=names.person_name(rng), post=post, unit=unit, order=i)
            for i, (post, unit) in enumerate(COMMITTEE_UNITS)
        ]
    )
    last = today.year - 1
    CommitteeMeeting.objects.bulk_create(
        [
            CommitteeMeeting(
                chain=nev,
                held_on=min(today, dt.date(last, 1, 20) + dt.timedelta(days=91 * i)),
                subject=f"{last}年{subject}",
                decisions=decisions,
                recorded_by=office,
            )
            for i, (subject, decisions) in enumerate(MEETINGS)
        ]
    )
    cable = Chain.objects.create(
        jurisdiction=park,
        name="线缆",
        description="特种电缆、电力电缆及其导体、绝缘材料与下游配电应用。",
        leader_name=names.person_name(rng),
        leader_title="高新区党工委副书记、管委会主任（链长）",
        committee_name="湘潭高新区线缆产业链党委",
    )
    in_park = {
        line: [e for e in firms if e.jurisdiction_path.startswith(park.path)]
        for line, firms in by_line.items()
    }
    cable_firms = _place_chain(
        cable, CABLE_NODES, in_park, {"3831": 12, "3240": 3, "3252": 3, "2651": 3, "3823": 4, "3415": 2}
    )
    figures.chains = 2
    nev_ids = {f.enterprise_id for f in nev_firms}
    figures.firms = len(nev_ids)
    serial = [seed * 100_000]
    city_firms = manufacturers
    makers = {f.enterprise_id for f in nev_firms if f.role == ChainRole.LEADER}
    rows = _purchases(
        buyers=[e for e in manufacturers if e.pk in nev_ids],
        local_pool=[e for e in city_firms if e.pk in nev_ids] or city_firms,
        years={last - 1: Decimal("0.3860"), last: Decimal("0.4236")},
        rng=rng,
        serial=serial,
        big=makers,
        office=office,
    )
    cable_ids = {f.enterprise_id for f in cable_firms} - nev_ids
    rows += _purchases(
        buyers=[e for e in manufacturers if e.pk in cable_ids],
        local_pool=[e for e in city_firms if e.jurisdiction_path.startswith(park.path)] or city_firms,
        years={last - 1: Decimal("0.3310"), last: Decimal("0.3570")},
        rng=rng,
        serial=serial,
        big=set(),
        office=office,
    )
    shaoshan = parks.get("韶山高新区")
    if shaoshan is not None:
        rows += _shaoshan_purchases(shaoshan, manufacturers, rng, last, serial, office)
    Purchase.objects.bulk_create(rows, batch_size=2000)
    purchase_actions.add_to_totals(rows)
    figures.purchases = len(rows)
    figures.rate = queries.chain_map(nev, last).figures.rate
    if shaoshan is not None:
        _shaoshan_subsidy(shaoshan, last, today, figures)
    return figures


def _line_code(enterprise: Enterprise) -> str:
    """The demo line of an enterprise: its class when the full table is loaded; stored under
    its division otherwise, the line of that division whose words its name carries."""
    industry_id = enterprise.industry_id
    if len(industry_id) == 4:
        return industry_id
    lines = [line for line in MANUFACTURING if line.code[:2] == industry_id]
    for line in lines:
        if any(word in enterprise.name for word in line.words):
            return line.code
    return lines[0].code if lines else industry_id


def _share_quota(total: int, available: dict[str, int]) -> dict[str, int]:
    """`total` places shared among lines in proportion to the firms each has (at most all)."""
    whole = sum(available.values())
    if whole == 0:
        return {}
    quota = {line: min(count, max(1, round(total * count / whole))) for line, count in available.items()}
    return quota


def _shaoshan_purchases(
    shaoshan: Jurisdiction,
    manufacturers: list[Enterprise],
    rng: random.Random,
    last: int,
    serial: list[int],
    office: User | None,
) -> list[Purchase]:
    """Shaoshan's manufacturers' purchases of local strategic-industry products: some reach
    ¥300,000 for the first time last year, some reached it the year before, the rest fall short."""
    firms = [e for e in manufacturers if e.jurisdiction_path.startswith(shaoshan.path)]
    if len(firms) < 4:
        return []
    rows: list[Purchase] = []
    for index, buyer in enumerate(firms[:16]):
        pattern = index % 4  # 0, 1: first time last year; 2: the year before; 3: short
        for year in (last - 1, last):
            if pattern in (0, 1):
                amount = Decimal(
                    rng.randint(120_000, 250_000) if year < last else rng.randint(310_000, 1_200_000)
                )
            elif pattern == 2:
                amount = Decimal(rng.randint(320_000, 900_000))
            else:
                amount = Decimal(rng.randint(40_000, 280_000))
            supplier = rng.choice([f for f in firms if f.pk != buyer.pk])
            rows.append(
                Purchase(
                    jurisdiction_id=buyer.jurisdiction_id,
                    jurisdiction_path=buyer.jurisdiction_path,
                    buyer=buyer,
                    year=year,
                    supplier=supplier,
                    supplier_name=supplier.name,
                    supplier_credit_code=supplier.credit_code,
                    place=SupplierPlace.PARK,
                    is_local=True,
                    item="战略性新兴产业产品",
                    amount=to_fen(amount),
                    strategic=True,
                    source=PurchaseSource.ENTERPRISE,
                    recorded_by=office,
                )
            )
    return rows


def _shaoshan_subsidy(shaoshan: Jurisdiction, year: int, today: dt.date, figures: ChainFigures) -> None:
    """Enter last year's local-purchase subsidy in the Shaoshan policy's ledger (when the policy
    supermarket was built), as the office's action does."""
    candidates = Policy.objects.filter(
        jurisdiction_path__startswith=shaoshan.path, title__contains="本地战略性产业产品首次采购补贴"
    ).order_by("-pk")
    policy = next((p for p in candidates if version_on(p, today) is not None), None)
    if policy is None:
        return
    at = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 30)))
    run = subsidy_actions.enter_subsidy(policy=policy, year=year, at=at)
    figures.subsidy_entries = len(run.entered)
    figures.subsidy_amount = run.amount
