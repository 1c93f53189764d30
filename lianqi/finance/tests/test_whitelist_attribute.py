"""Whitelist membership as an attribute the rules read (`finance_whitelists`): declared with its
values through core's registry, so a product may admit only the firms on a pilot's whitelist,
and the explanation says which way the condition went — met, not met, or not known."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lianqi.core import registry
from lianqi.core.roles import Role
from lianqi.enterprises.models import Enterprise
from lianqi.policies.subjects import enterprise_records
from lianqi.rules import ENTERPRISE_CATALOGUE, AttributeKind, Verdict, explain, rules_from_data
from lianqi.rules.catalogue import Attribute, Catalogue
from lianqi.testing.world import World, make_enterprise

from .. import actions, queries
from ..matching import fit_for
from .factories import give_revenue, product_of, product_rule
from .test_pilots import pilot_of


def whitelist_rule(code: str) -> dict[str, Any]:
    """A pledge loan for the firms on the DCZY pilot's whitelist."""
    return {
        "version": 1,
        "rules": [
            {
                "code": code,
                "name": "动产质押贷",
                "eligibility": {"all": [{"attribute": "finance_whitelists", "op": "has", "value": "DCZY"}]},
            }
        ],
    }


def test_the_catalogue_learns_the_registered_attributes_with_their_declarations() -> None:
    assert ENTERPRISE_CATALOGUE["finance_whitelists"].kind is AttributeKind.TAGS
    assert ENTERPRISE_CATALOGUE["credit_class"].choices["A"] == "A级（诚信）"
    # The engine alone (no registry) knows only the register's attributes.
    built_in = Catalogue(
        a for a in ENTERPRISE_CATALOGUE if a.name not in ("finance_whitelists", "credit_class")
    )
    assert "credit_class" not in built_in
    assert "credit_class" in built_in.extended([ENTERPRISE_CATALOGUE["credit_class"]])
    with pytest.raises(ValueError):
        registry.EnterpriseAttribute("x", lambda ids: {}, Attribute("y", "乙", AttributeKind.TAGS, "某处"))


def test_a_product_on_the_whitelist_admits_the_whitelisted_firm_and_not_another(world: World) -> None:
    pilot = pilot_of(world)
    office = world.user(Role.SERVICE_OFFICE)
    today = timezone.localdate()
    big, small = world.home.enterprise, make_enterprise(world.home.park, "湘潭高新区小微五金厂")
    give_revenue(world.home, today.year - 1, 3000)
    actions.save_whitelist_rule(pilot=pilot, rule=product_rule("WL", 2000), actor=office)
    product = product_of(world.home, code="P-DCZY", rule=whitelist_rule("P-DCZY"))

    taken = fit_for(big, product, day=today)
    left = fit_for(small, product, day=today)
    assert (taken.verdict, left.verdict) == (Verdict.ELIGIBLE, Verdict.INELIGIBLE)
    assert taken.words.sentences[-1].text == "融资试点白名单包含“DCZY”"
    assert "DCZY" in taken.words.sentences[-1].figure and "DCZY" not in left.words.sentences[-1].figure
    assert taken.words.sentences[-1].verdict != left.words.sentences[-1].verdict

    # A firm added by hand is on it; the one the rule took in, removed by hand, is not.
    actions.change_whitelist(pilot=pilot, enterprise=small, included=True, reason="实地核查", actor=office)
    actions.change_whitelist(pilot=pilot, enterprise=big, included=False, reason="涉诉未结", actor=office)
    assert fit_for(small, product, day=today).verdict is Verdict.ELIGIBLE
    assert fit_for(big, product, day=today).verdict is Verdict.INELIGIBLE

    # Not knowing the membership leaves the verdict open rather than refusing.
    rule = rules_from_data(whitelist_rule("P-DCZY"), ENTERPRISE_CATALOGUE).rules[0]
    assert explain(rule, {"id": 1}, as_of=today).verdict is Verdict.UNKNOWN


def test_membership_is_read_in_a_fixed_number_of_queries(world: World) -> None:
    pilot = pilot_of(world)
    office = world.user(Role.SERVICE_OFFICE)
    give_revenue(world.home, timezone.localdate().year - 1, 3000)
    actions.save_whitelist_rule(pilot=pilot, rule=product_rule("WL", 2000), actor=office)
    first = make_enterprise(world.home.park, "甲厂")
    actions.change_whitelist(pilot=pilot, enterprise=first, included=True, reason="推荐", actor=office)
    ids = [world.home.enterprise.pk, first.pk, world.other.enterprise.pk]
    with CaptureQueriesContext(connection) as few:
        found = queries.whitelist_codes(ids[:1] + ids[2:])
    assert found == {ids[0]: {"DCZY"}, ids[2]: set()}
    for n in range(5):
        make_enterprise(world.home.park, f"乙厂{n}")
    many = list(Enterprise.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as more:
        found = queries.whitelist_codes(many)
    assert len(more) == len(few)
    assert found[first.pk] == {"DCZY"} and found[world.other.enterprise.pk] == set()
    records = {r["id"]: r for r in enterprise_records(Enterprise.objects.filter(pk__in=ids))}
    assert records[world.home.enterprise.pk]["finance_whitelists"] == {"DCZY"}


def test_a_whitelist_rule_may_not_read_the_whitelists_and_a_pilot_code_is_checked(world: World) -> None:
    pilot = pilot_of(world)
    office = world.user(Role.SERVICE_OFFICE)
    with pytest.raises(ValidationError) as refused:
        actions.save_whitelist_rule(pilot=pilot, rule=whitelist_rule("WL"), actor=office)
    assert "rule" in refused.value.message_dict
    for code, message in (("DCZY", "已被使用"), ("动产", "字母")):
        with pytest.raises(ValidationError) as refused:
            actions.create_pilot(
                jurisdiction=world.home.park,
                name="另一个试点",
                code=code,
                guarantor=pilot.guarantor,
                banks=list(pilot.banks.all()),
                actor=office,
            )
        assert message in refused.value.message_dict["code"][0]


def test_the_day_decides_nothing_but_the_rule(world: World) -> None:
    # The membership is the same whichever day the rule is read on when the rule names no year.
    pilot = pilot_of(world)
    actions.save_whitelist_rule(
        pilot=pilot,
        rule={
            "version": 1,
            "rules": [
                {
                    "code": "WL",
                    "name": "全部",
                    "eligibility": {
                        "all": [
                            {
                                "attribute": "kind",
                                "op": "in",
                                "value": ["above_size", "below_size", "shop", "project", "individual"],
                            }
                        ]
                    },
                }
            ],
        },
        actor=world.user(Role.SERVICE_OFFICE),
    )
    pk = world.home.enterprise.pk
    assert queries.whitelist_codes([pk], day=dt.date(2020, 1, 1)) == queries.whitelist_codes([pk])
