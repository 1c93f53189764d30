"""The policy supermarket's sections of the enterprise's file: scoped like every page (another
park's user gets 404), shown to the roles registered for them, with the enterprise's matches
and its ledger entries with amounts and dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from lianqi.core import registry
from lianqi.core.roles import STAFF_ROLES, Role
from lianqi.testing.contracts import ObjectPageContract
from lianqi.testing.world import World

from .. import actions
from ..models import Fulfilment
from .test_actions import AT, make_policy, published, revenue


def _matched(world: World) -> Fulfilment:
    entry = Fulfilment.objects.filter(enterprise=world.home.enterprise).first()
    if entry is None:
        revenue(world.home.enterprise, 2024, 2600)
        policy = make_policy(world)
        published(world, policy)
        actions.rematch_policy(policy=policy, at=AT)
        entry = Fulfilment.objects.get(policy=policy, enterprise=world.home.enterprise)
    return entry


class TestMatchesSectionContract(ObjectPageContract):
    allowed_roles = tuple(STAFF_ROLES)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        _matched(world)
        return reverse("policies:enterprise_matches", args=[world.home.enterprise.pk])


class TestBenefitsSectionContract(ObjectPageContract):
    allowed_roles = (Role.LEADER, Role.SERVICE_OFFICE, Role.DEPARTMENT_HANDLER, Role.ADMIN)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        _matched(world)
        return reverse("policies:enterprise_benefits", args=[world.home.enterprise.pk])


def _page(world: World, name: str, role: str = Role.SERVICE_OFFICE) -> str:
    client = Client()
    client.force_login(world.user(role))
    response = client.get(reverse(name, args=[world.home.enterprise.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_matches_section_lists_the_policies_with_level_and_amount(world: World) -> None:
    entry = _matched(world)
    page = _page(world, "policies:enterprise_matches", Role.LIAISON)
    assert 'data-testid="match-row"' in page
    assert entry.policy.title in page and "园区级" in page and "符合" in page and "10.00" in page


def test_the_benefits_section_follows_the_entry_to_the_payment(world: World) -> None:
    entry = _matched(world)
    office = world.user(Role.SERVICE_OFFICE)
    entry = actions.apply_for_fulfilment(
        fulfilment=entry,
        actor=None,
        enterprise=world.home.enterprise,
        expected_version=entry.version,
        text="申请",
        at=AT,
    )
    entry = actions.review_fulfilment(
        fulfilment=entry, actor=office, expected_version=entry.version, note="材料齐全", at=AT
    )
    entry = actions.approve_fulfilment(
        fulfilment=entry, actor=office, expected_version=entry.version, amount=Decimal("10"), at=AT
    )
    actions.disburse_fulfilment(
        fulfilment=entry,
        actor=office,
        expected_version=entry.version,
        amount=Decimal("8"),
        disbursed_on=dt.date(2025, 6, 28),
        voucher="PZ-77",
        at=AT,
    )
    page = _page(world, "policies:enterprise_benefits", Role.LEADER)
    row = page.split('data-testid="benefit-row"')[1]
    assert entry.policy.title in row and "已兑付" in row
    assert "2025-06-30" in row  # applied and approved on the day of AT
    assert "10.00" in row and "8.00" in row and "2025-06-28" in row
    totals = page.split('data-testid="benefit-totals"')[1]
    assert "已兑付 1 笔" in totals and "10.00" in totals and "8.00" in totals


def test_the_sections_are_registered_for_their_roles_in_order(world: World) -> None:
    sections = {s.key: s for s in registry.enterprise_sections()}
    matches, benefits = sections["policies.matches"], sections["policies.benefits"]
    assert (matches.order, benefits.order) == (40, 41)
    assert Role.LIAISON in matches.roles and Role.LIAISON not in benefits.roles
    assert Role.ENTERPRISE not in matches.roles + benefits.roles
    assert reverse(matches.url_name, args=[7]) == "/policies/enterprise/7/matches/"
    assert reverse(benefits.url_name, args=[7]) == "/policies/enterprise/7/benefits/"
