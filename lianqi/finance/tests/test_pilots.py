"""Financing pilots: the whitelist as a versioned rule plus manual additions and removals,
each with its reason (a removal without one is refused); the pilot's institutions see it,
another bank does not."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.testing.contracts import ListPageContract, ObjectPageContract
from lianqi.testing.world import World, make_enterprise

from .. import actions, queries
from ..choices import InstitutionKind
from ..models import Institution, Pilot, WhitelistChange
from ..permissions import MANAGERS
from .factories import give_revenue, institution_of, product_rule, rival_bank_user


def pilot_of(world: World) -> Pilot:
    existing = Pilot.objects.filter(jurisdiction=world.home.park).first()
    if existing is not None:
        return existing
    institution_of(world.other)
    guarantor = Institution.objects.create(
        jurisdiction=world.home.park, name="湘潭高新区融资担保公司", kind=InstitutionKind.GUARANTEE
    )
    return actions.create_pilot(
        jurisdiction=world.home.park,
        name="动产质押融资试点",
        code="DCZY",
        guarantor=guarantor,
        banks=[institution_of(world.home)],
        actor=world.user(Role.SERVICE_OFFICE),
    )


class TestPilotListContract(ListPageContract):
    allowed_roles = (*MANAGERS, Role.FINANCE)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        pilot_of(world)
        return reverse("finance:pilots")

    def marker(self, world: World) -> str:
        return "动产质押融资试点"


class TestPilotContract(ObjectPageContract):
    allowed_roles = (*MANAGERS, Role.FINANCE)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("finance:pilot", args=[pilot_of(world).pk])


def test_the_whitelist_follows_its_rule_versions_and_the_manual_changes(world: World) -> None:
    pilot = pilot_of(world)
    office = world.user(Role.SERVICE_OFFICE)
    today = timezone.localdate()
    big, small = world.home.enterprise, make_enterprise(world.home.park, "湘潭高新区小微五金厂")
    give_revenue(world.home, today.year - 1, 3000)
    first = actions.save_whitelist_rule(
        pilot=pilot, rule=product_rule("WL", 2000), actor=office, note="营收 2000 万元以上"
    )
    assert queries.whitelist(pilot, day=today).members == {big.pk}

    actions.change_whitelist(
        pilot=pilot, enterprise=small, included=True, reason="担保公司实地核查", actor=office
    )
    with pytest.raises(ValidationError) as refused:
        actions.change_whitelist(pilot=pilot, enterprise=big, included=False, reason="  ", actor=office)
    assert "reason" in refused.value.message_dict
    assert WhitelistChange.objects.count() == 1
    actions.change_whitelist(pilot=pilot, enterprise=big, included=False, reason="涉诉未结", actor=office)
    found = queries.whitelist(pilot, day=today)
    assert found.members == {small.pk}
    assert found.removed[big.pk].reason == "涉诉未结"

    second = actions.save_whitelist_rule(pilot=pilot, rule=product_rule("WL", 5000), actor=office)
    assert (first.number, second.number) == (1, 2)
    # The earlier version still says what it said.
    assert queries.whitelist(pilot, day=today, version=first).by_rule == {big.pk}
    assert queries.whitelist(pilot, day=today).by_rule == set()

    html = Client()
    html.force_login(world.user(Role.FINANCE))
    page = html.get(reverse("finance:pilot", args=[pilot.pk])).content.decode()
    assert "湘潭高新区小微五金厂" in page and "担保公司实地核查" in page


def test_another_bank_and_another_park_cannot_touch_the_pilot(world: World) -> None:
    pilot = pilot_of(world)
    rival = Client()
    rival.force_login(rival_bank_user(world))
    assert rival.get(reverse("finance:pilot", args=[pilot.pk])).status_code == 404
    with pytest.raises(ValidationError):
        actions.change_whitelist(
            pilot=pilot,
            enterprise=world.home.enterprise,
            included=True,
            reason="x",
            actor=world.other_user(Role.SERVICE_OFFICE),
        )


def test_the_office_changes_the_whitelist_on_the_page_with_field_errors(world: World) -> None:
    pilot = pilot_of(world)
    office = Client()
    office.force_login(world.user(Role.SERVICE_OFFICE))
    url = reverse("finance:pilot", args=[pilot.pk])
    response = office.post(url, {"enterprise": world.home.enterprise.pk, "included": "0", "reason": ""})
    assert 'data-error-for="reason"' in response.content.decode()
    response = office.post(url, {"enterprise": world.other.enterprise.pk, "included": "1", "reason": "试试"})
    assert 'data-error-for="enterprise"' in response.content.decode()
    assert not WhitelistChange.objects.exists()
    response = office.post(
        url, {"enterprise": world.home.enterprise.pk, "included": "1", "reason": "担保公司推荐"}
    )
    assert response.status_code == 302
    change = WhitelistChange.objects.get()
    assert (change.included, change.actor) == (True, world.user(Role.SERVICE_OFFICE))
    bank = Client()
    bank.force_login(world.user(Role.FINANCE))
    assert (
        bank.post(url, {"enterprise": world.home.enterprise.pk, "included": "0", "reason": "x"}).status_code
        == 403
    )


def test_the_office_sets_up_a_pilot_and_saves_its_rule_on_pages(world: World) -> None:
    institution_of(world.home)
    guarantor = Institution.objects.create(
        jurisdiction=world.home.park, name="湘潭高新区融资担保公司", kind=InstitutionKind.GUARANTEE
    )
    bank = institution_of(world.home)
    office = Client()
    office.force_login(world.user(Role.SERVICE_OFFICE))
    url = reverse("finance:pilot_new")
    assert "湘潭高新区融资担保公司" in office.get(url).content.decode()
    data = {"name": "知识产权质押试点", "code": "知识", "guarantor": guarantor.pk, "banks": [bank.pk]}
    response = office.post(url, data)
    assert 'data-error-for="code"' in response.content.decode()
    response = office.post(url, {**data, "guarantor": bank.pk})  # a bank cannot lead
    assert 'data-error-for="guarantor"' in response.content.decode()
    assert not Pilot.objects.exists()
    response = office.post(url, {**data, "code": "zscq"})
    pilot = Pilot.objects.get()
    assert response.status_code == 302 and pilot.code == "ZSCQ"

    rule_url = reverse("finance:pilot_rule", args=[pilot.pk])
    bad = office.post(rule_url, {"rule": '{"version": 1, "rules": []}'})
    assert 'data-error-for="rule"' in bad.content.decode()
    give_revenue(world.home, timezone.localdate().year - 1, 3000)
    response = office.post(
        rule_url, {"rule": json.dumps(product_rule("WL", 2000)), "note": "营收 2000 万元以上"}
    )
    assert response.status_code == 302
    assert queries.whitelist(pilot, day=timezone.localdate()).members == {world.home.enterprise.pk}
    page = office.get(pilot.get_absolute_url()).content.decode()
    assert "营收 2000 万元以上" in page and "ZSCQ" in page

    bank_user = Client()
    bank_user.force_login(world.user(Role.FINANCE))
    assert bank_user.get(url).status_code == 403
    assert bank_user.post(rule_url, {"rule": json.dumps(product_rule("WL", 1))}).status_code == 403
    other = Client()
    other.force_login(world.other_user(Role.SERVICE_OFFICE))
    assert other.post(rule_url, {"rule": json.dumps(product_rule("WL", 1))}).status_code == 404
