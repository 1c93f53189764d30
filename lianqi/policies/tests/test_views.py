"""The policy supermarket pages: scoping of each (one contract per view) and what an
enterprise and the office see on them."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import STAFF_ROLES, Role
from lianqi.testing.contracts import (
    ListExportContract,
    ListPageContract,
    ObjectPageContract,
    PageContract,
)
from lianqi.testing.world import World

from .. import actions
from ..models import Policy
from .test_actions import AT, make_policy, revenue, rule

TITLE = "湘潭高新区规上工业企业培育奖励"


def home_policy(world: World) -> Policy:
    policy = Policy.objects.filter(code="XT-2025-001").first()
    if policy is None:
        policy = make_policy(
            world, title=TITLE, issuer="湘潭高新区管委会", document_number="湘高新发〔2025〕3号"
        )
        draft = actions.save_policy_draft(
            policy=policy, actor=None, rule=rule(policy.code), valid_from=dt.date(2025, 1, 1)
        )
        actions.publish_policy_version(version=draft, actor=world.user(Role.SERVICE_OFFICE), at=AT)
    return policy


READERS = (*STAFF_ROLES, Role.ENTERPRISE)


class TestPolicyListContract(ListPageContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        home_policy(world)
        return reverse("policies:list")

    def marker(self, world: World) -> str:
        return TITLE


class TestPolicyExportContract(ListExportContract):
    allowed_roles = tuple(STAFF_ROLES)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        home_policy(world)
        return reverse("policies:export")

    def marker(self, world: World) -> str:
        return TITLE


class TestPolicyDetailContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("policies:detail", args=[home_policy(world).pk])


class TestPoliciesForMeContract(PageContract):
    allowed_roles = (Role.ENTERPRISE,)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("policies:for_me")


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_policy_page_states_its_conditions_in_plain_chinese(world: World) -> None:
    html = (
        _client(world.user(Role.LIAISON))
        .get(reverse("policies:detail", args=[home_policy(world).pk]))
        .content.decode()
    )
    year = dt.date.today().year - 1
    assert f"{year} 年营业收入不低于 2000 万元" in html
    # The negation is said positively, and no tree path is shown.
    assert "企业没有“失信企业”标签" in html and "不满足" not in html and "1.2" not in html
    assert f"按{year} 年营业收入分档" in html


def test_an_enterprise_sees_the_policies_it_fits_with_the_reasons_and_the_amount(world: World) -> None:
    home_policy(world)
    revenue(world.home.enterprise, dt.date.today().year - 1, 5600)
    html = _client(world.user(Role.ENTERPRISE)).get(reverse("policies:for_me")).content.decode()
    eligible = html.split('data-testid="eligible-policies"')[1].split('data-testid="unknown-policies"')[0]
    assert TITLE in eligible and "约 20 万元" in eligible
    assert f"本企业为 5600 万元（来源：统计年报 {dt.date.today().year - 1}）" in eligible


def test_an_enterprise_just_below_a_threshold_is_told_the_gap(world: World) -> None:
    home_policy(world)
    revenue(world.home.enterprise, dt.date.today().year - 1, 1880)
    html = _client(world.user(Role.ENTERPRISE)).get(reverse("policies:for_me")).content.decode()
    near = html.split('data-testid="near-misses"')[1]
    assert f"{TITLE}（园区级）" in near and "差 120 万元" in near
    assert "营业收入不低于 2000 万元" in near and "本企业为 1880 万元" in near


def test_search_and_filters_narrow_the_shelf(world: World) -> None:
    home_policy(world)
    make_policy(world, code="XT-2025-002", title="研发费用补助", kind="reduction")
    client = _client(world.user(Role.SERVICE_OFFICE))
    html = client.get(reverse("policies:list"), {"q": "研发"}).content.decode()
    assert "研发费用补助" in html and TITLE not in html
    html = client.get(reverse("policies:list"), {"validity": "in_force"}).content.decode()
    assert TITLE in html and "研发费用补助" not in html  # the second has no published version
    html = client.get(reverse("policies:list"), {"level": "bogus"}).content.decode()
    assert TITLE in html  # a bad filter value filters nothing
