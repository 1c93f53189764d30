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
