"""The market's actions with a real database: recording offers and needs (who may, field-level
refusals, money to the fen), withdrawing, introducing with the match's reasons, a deal or a
drop, every (state, action, role) of the tables, and the measures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lianqi.core import registry
from lianqi.core.registry import Period
from lianqi.core.roles import Role
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed, walk_table
from lianqi.testing.world import World

from .. import actions
from ..choices import IntroductionState, ListingState, ParticipantRole, SupplierRegion
from ..models import Introduction, IntroductionEvent, Need, NeedEvent, Offer, OfferEvent
from ..workflow import INTRODUCTION_ROLES, LISTING_ROLES, introduction_workflow, offer_workflow
from .factories import AT, TODAY, cable_class, enterprise_in, make_introduction, make_need, make_offer

NEED_INPUT: dict[str, Any] = {
    "item": "铜芯电力电缆",
    "industry_code": "3831",
    "quantity": Decimal("500"),
    "unit": "千米",
    "wanted_by": dt.date(2025, 6, 1),
    "valid_until": dt.date(2025, 12, 31),
    "budget": Decimal("1234567.89"),
    "current_supplier_region": SupplierRegion.ELSEWHERE,
}


def test_an_enterprise_records_its_need_with_its_budget_to_the_fen(world: World) -> None:
    cable_class()
    account = world.user(Role.ENTERPRISE)
    need = actions.create_need(enterprise=world.home.enterprise, actor=account, at=AT, **NEED_INPUT)
    need.refresh_from_db()
    assert need.budget == Decimal("1234567.89")
    assert (need.state, need.version, need.jurisdiction_path) == (ListingState.OPEN, 1, world.home.park.path)
    event = NeedEvent.objects.get(need=need)
    assert (event.action, event.to_state, event.actor) == ("create", "open", account)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": None}, "quantity"),
        ({"quantity": Decimal("0")}, "quantity"),
        ({"wanted_by": None}, "wanted_by"),
        ({"valid_until": dt.date(2025, 1, 1)}, "valid_until"),
        ({"industry_code": "9999"}, "industry"),
        ({"budget": Decimal("10.005")}, "budget"),
        ({"budget": Decimal("-1")}, "budget"),
        ({"unit": " "}, "unit"),
    ],
)
def test_a_bad_need_is_refused_naming_the_field_and_nothing_is_written(
    world: World, change: dict[str, Any], field: str
) -> None:
    cable_class()
    with pytest.raises(ValidationError) as invalid:
        actions.create_need(
            enterprise=world.home.enterprise,
            actor=world.user(Role.SERVICE_OFFICE),
            at=AT,
            **{**NEED_INPUT, **change},
        )
    assert field in invalid.value.message_dict
    assert not Need.objects.exists() and not NeedEvent.objects.exists()


def test_every_bad_field_is_named_at_once(world: World) -> None:
    with pytest.raises(ValidationError) as invalid:
        actions.create_need(
            enterprise=world.home.enterprise,
            actor=world.user(Role.SERVICE_OFFICE),
            at=AT,
            **{**NEED_INPUT, "item": "", "quantity": None, "wanted_by": None},
        )
    assert {"item", "quantity", "wanted_by"} <= set(invalid.value.message_dict)


def test_who_records_for_an_enterprise(world: World) -> None:
    cable_class()
    home = world.home.enterprise
    # Its liaison and the office may; another enterprise's account, a leader, another park may not.
    for role in (Role.LIAISON, Role.SERVICE_OFFICE, Role.ENTERPRISE):
        actions.create_offer(enterprise=home, actor=world.user(role), product="电缆", industry_code="3831")
    stranger = enterprise_in(world, "别家企业")
    liaison_of_other = world.user(Role.LIAISON)
    for actor, enterprise in (
        (world.user(Role.LEADER), home),
        (world.other_user(Role.SERVICE_OFFICE), home),
        (world.user(Role.ENTERPRISE), stranger),
        (liaison_of_other, stranger),
    ):
        with pytest.raises(ValidationError) as refused:
            actions.create_offer(enterprise=enterprise, actor=actor, product="电缆", industry_code="3831")
        assert "enterprise" in refused.value.message_dict
    assert Offer.objects.count() == 3


def test_an_offer_with_a_capacity_needs_its_unit(world: World) -> None:
    cable_class()
    with pytest.raises(ValidationError) as invalid:
        actions.create_offer(
            enterprise=world.home.enterprise,
            actor=world.user(Role.SERVICE_OFFICE),
            product="电缆",
            industry_code="3831",
            capacity=Decimal("100"),
        )
    assert "unit" in invalid.value.message_dict


def test_introducing_keeps_the_reasons_and_refuses_twice(world: World) -> None:
    need = make_need(world.home)
    offer = make_offer(enterprise_in(world, "湘潭华菱线缆有限公司"), certifications="CCC")
    office = world.user(Role.SERVICE_OFFICE)
    row = actions.introduce(need=need, offer=offer, actor=office, at=AT)
    assert row.state == IntroductionState.INTRODUCED and row.score >= 80
    assert "行业小类相同（3831）" in row.reasons and "同一园区" in row.reasons
    assert IntroductionEvent.objects.get(introduction=row).action == "introduce"
    with pytest.raises(ValidationError) as twice:
        actions.introduce(need=need, offer=offer, actor=world.user(Role.LIAISON), at=AT)
    assert "offer" in twice.value.message_dict
    with pytest.raises(ValidationError):
        actions.introduce(need=need, offer=offer, actor=world.other_user(Role.SERVICE_OFFICE), at=AT)
    with pytest.raises(ValidationError):
        actions.introduce(need=need, offer=offer, actor=world.user(Role.ENTERPRISE), at=AT)
    assert Introduction.objects.count() == 1


def test_an_expired_or_withdrawn_need_is_not_introduced(world: World) -> None:
    expired = make_need(world.home, valid_until=dt.date(2025, 3, 1))
    offer = make_offer(enterprise_in(world, "供应商"))
    with pytest.raises(ValidationError) as invalid:
        actions.introduce(need=expired, offer=offer, actor=world.user(Role.SERVICE_OFFICE), at=AT)
    assert "need" in invalid.value.message_dict


def test_a_deal_is_kept_to_the_fen_and_a_third_decimal_is_refused(world: World) -> None:
    row = make_introduction(world)
    office = world.user(Role.SERVICE_OFFICE)
    with pytest.raises(ValidationError) as invalid:
        actions.record_deal(
            introduction=row, actor=office, expected_version=1, deal_amount="100.001", deal_on=TODAY, at=AT
        )
    assert "deal_amount" in invalid.value.message_dict
    with pytest.raises(ValidationError) as future:
        actions.record_deal(
            introduction=row,
            actor=office,
            expected_version=1,
            deal_amount="1",
            deal_on=dt.date(2025, 4, 1),
            at=AT,
        )
    assert "deal_on" in future.value.message_dict
    row.refresh_from_db()
    assert (row.state, row.version) == (IntroductionState.INTRODUCED, 1)
    done = actions.record_deal(
        introduction=row,
        actor=office,
        expected_version=1,
        deal_amount="48602194.37",
        deal_on=TODAY,
        at=AT,
    )
    done.refresh_from_db()
    assert done.deal_amount == Decimal("48602194.37") and done.state == IntroductionState.DEAL
    with pytest.raises(StaleVersion):
        actions.drop_introduction(introduction=row, actor=office, expected_version=1, drop_reason="x")


def test_a_drop_says_why(world: World) -> None:
    row = make_introduction(world)
    with pytest.raises(ValidationError) as invalid:
        actions.drop_introduction(
            introduction=row, actor=world.user(Role.LIAISON), expected_version=1, drop_reason=" "
        )
    assert "drop_reason" in invalid.value.message_dict
    row = actions.drop_introduction(
        introduction=row, actor=world.user(Role.LIAISON), expected_version=1, drop_reason="价格偏高"
    )
    assert row.state == IntroductionState.DROPPED


def _listing_actor(world: World, role: str) -> tuple[Any, Any]:
    if role == "enterprise":
        return None, world.home.enterprise
    return world.user(role), None


@pytest.mark.parametrize(("state", "action", "role", "allowed"), walk_table(offer_workflow, LISTING_ROLES))
def test_offer_table(world: World, state: str, action: str, role: str, allowed: bool) -> None:
    row = make_offer(world.home.enterprise, state=state)
    actor, enterprise = _listing_actor(world, role)
    if allowed:
        moved = actions.withdraw_offer(offer=row, actor=actor, enterprise=enterprise, expected_version=1)
        assert moved.state == offer_workflow.table[(state, action)].next_state
        assert OfferEvent.objects.filter(offer=row, action=action).exists()
    else:
        with pytest.raises(TransitionNotAllowed):
            actions.withdraw_offer(offer=row, actor=actor, enterprise=enterprise, expected_version=1)


def test_a_need_is_withdrawn_by_its_enterprise_but_not_by_another(world: World) -> None:
    need = make_need(world.home)
    stranger = enterprise_in(world, "别家企业")
    with pytest.raises(TransitionNotAllowed):
        actions.withdraw_need(need=need, actor=None, enterprise=stranger, expected_version=1)
    moved = actions.withdraw_need(need=need, actor=world.user(Role.ENTERPRISE), expected_version=1)
    assert moved.state == ListingState.WITHDRAWN


INPUTS = {"deal_amount": "1000.50", "deal_on": TODAY, "drop_reason": "产能不足"}


@pytest.mark.parametrize(
    ("state", "action", "role", "allowed"), walk_table(introduction_workflow, INTRODUCTION_ROLES)
)
def test_introduction_table(world: World, state: str, action: str, role: str, allowed: bool) -> None:
    row = make_introduction(world, state)
    take = actions.STEPS[action]
    needs = {
        name: INPUTS[name]
        for name in introduction_workflow.table[(IntroductionState.INTRODUCED, action)].needs
    }
    if allowed:
        moved = take(introduction=row, actor=world.user(role), expected_version=1, at=AT, **needs)
        assert moved.state == introduction_workflow.table[(state, action)].next_state
    else:
        with pytest.raises(TransitionNotAllowed):
            take(introduction=row, actor=world.user(role), expected_version=1, at=AT, **needs)


def test_the_year_s_fair_measures_add_up_events_firms_deals_and_amount(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    buyer, supplier = world.home.enterprise, enterprise_in(world, "供应商")
    fairs = [
        actions.create_fair(actor=office, held_on=dt.date(2025, month, 10), theme=f"对接会{month}")
        for month in (3, 6)
    ]
    actions.create_fair(actor=office, held_on=dt.date(2024, 12, 1), theme="去年")
    actions.record_fair_deal(
        fair=fairs[0], buyer=buyer, supplier=supplier, subject="电缆", amount="0.01", actor=office
    )
    actions.record_fair_deal(
        fair=fairs[1], buyer=buyer, supplier=supplier, subject="电缆", amount="99999999.99", actor=office
    )
    actions.invite(
        fair=fairs[1], enterprise=enterprise_in(world, "未到会"), role=ParticipantRole.BUYER, actor=office
    )
    year = Period.year(2025)
    path = world.home.park.path
    assert registry.measure("market.fairs").compute(path, year) == 2
    assert registry.measure("market.fair_firms").compute(path, year) == 2
    assert registry.measure("market.fair_deals").compute(path, year) == 2
    assert registry.measure("market.fair_amount").compute(path, year) == Decimal("10000.000000")
    assert registry.measure("market.fairs").compute(world.other.park.path, year) == 0
    with pytest.raises(ValidationError) as same:
        actions.record_fair_deal(
            fair=fairs[0], buyer=buyer, supplier=buyer, subject="x", amount="1", actor=office
        )
    assert "supplier" in same.value.message_dict
