"""The demo's supply and demand on a small world of manufacturers: 13 matching events whose
deals add up to exactly ¥1.0bn, needs of the main park matched to offers of the city, and
introductions with the engine's reasons and deals to the fen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from lianqi.core.roles import Role
from lianqi.enterprises.models import Industry
from lianqi.market.models import FairDeal, Introduction, MatchingFair, Need, Offer
from lianqi.testing.world import World, make_enterprise

from ..market import BUYS_FROM, FAIR_AMOUNT, FAIRS, build_market

TODAY = dt.date(2025, 12, 20)


def test_the_demo_market_holds_a_year_of_events_worth_one_billion(world: World) -> None:
    division = Industry.objects.get(code="38")
    for code, name in (
        ("3612", "新能源车整车制造"),
        ("3670", "汽车零部件及配件制造"),
        ("3831", "电线、电缆制造"),
    ):
        Industry.objects.get_or_create(
            code=code, defaults={"level": 4, "name": name, "section": "C", "parent": division}
        )
    for i in range(8):
        make_enterprise(world.home.park, f"整车{i}", industry_id="3612")
        make_enterprise(world.other.park, f"零部件{i}", industry_id="3670")
        make_enterprise(world.home.park, f"线缆{i}", industry_id="3831")
    figures = build_market(
        park=world.home.park,
        city=world.city,
        seed=1,
        scale=1.0,
        today=TODAY,
        office=world.user(Role.SERVICE_OFFICE),
    )
    assert MatchingFair.objects.count() == FAIRS == figures.fairs
    assert FairDeal.objects.aggregate(total=Sum("amount"))["total"] == FAIR_AMOUNT == Decimal("1000000000.00")
    assert all(fair.held_on <= TODAY for fair in MatchingFair.objects.all())
    assert Offer.objects.exists() and Need.objects.count() == figures.needs > 0
    # Needs are for the lines the buyers buy from: by class when loaded, else by division.
    bought = {*BUYS_FROM["3612"], *(code[:2] for code in BUYS_FROM["3612"])}
    assert all(need.industry_id in bought for need in Need.objects.all())
    deals = Introduction.objects.filter(state="deal")
    assert deals.count() == figures.deals
    for row in deals:
        assert row.deal_amount is not None and row.reasons
        assert row.deal_amount == row.deal_amount.quantize(Decimal("0.01"))


def test_the_demo_chain_has_four_makers_parts_firms_and_a_rate_a_little_over_forty(world: World) -> None:
    from lianqi.market import queries
    from lianqi.market.models import Chain, Purchase

    division = Industry.objects.get(code="38")
    lines = (
        ("3612", "新能源车整车制造"),
        ("3670", "汽车零部件及配件制造"),
        ("3841", "锂离子电池制造"),
        ("3831", "电线、电缆制造"),
    )
    for code, name in lines:
        Industry.objects.get_or_create(
            code=code, defaults={"level": 4, "name": name, "section": "C", "parent": division}
        )
    for i in range(6):
        make_enterprise(world.other.park, f"整车{i}", industry_id="3612")
    for i in range(30):
        make_enterprise(world.other.park if i % 2 else world.home.park, f"零部件{i}", industry_id="3670")
        make_enterprise(world.home.park, f"电池{i}", industry_id="3841")
        make_enterprise(world.home.park, f"线缆{i}", industry_id="3831")
    figures = build_market(
        park=world.home.park,
        city=world.city,
        seed=1,
        scale=1.0,
        today=TODAY,
        office=world.user(Role.SERVICE_OFFICE),
    )
    assert figures.chains is not None and figures.chains.chains == 2
    nev = Chain.objects.get(name="新能源和汽车")
    found = queries.chain_map(nev, TODAY.year - 1)
    makers = next(n for n in found.figures.nodes if n.node.name == "整车制造")
    assert len(makers.park_firms) + len(makers.city_firms) == 4
    assert found.figures.firms >= 60
    assert found.figures.rate is not None and Decimal("0.40") < found.figures.rate < Decimal("0.45")
    assert {"电解液", "车规级芯片", "热管理系统"} <= {n.node.name for n in found.figures.missing}
    assert Purchase.objects.filter(year=TODAY.year - 2).exists()
    assert nev.members.count() == 7 and nev.meetings.count() == 4
