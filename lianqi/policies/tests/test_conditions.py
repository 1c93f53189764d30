"""A condition over the register typed on a page (`subjects.parsed_condition`) and the
enterprises it admits (`subjects.eligible_ids`): what the quiet rule, an inspection item, a
campaign and an event's invitations all read."""

from __future__ import annotations

import datetime as dt

import pytest

from lianqi.enterprises.models import Enterprise
from lianqi.policies.subjects import eligible_ids, parsed_condition
from lianqi.testing.world import World

pytestmark = pytest.mark.django_db


def test_a_typed_condition_becomes_a_one_rule_file_and_admits_what_it_says(world: World) -> None:
    firm = world.home.enterprise
    rule, problems = parsed_condition(
        f'{{"attribute": "kind", "op": "in", "value": ["{firm.kind}"]}}', "规模"
    )
    assert problems == [] and rule["rules"][0]["name"] == "规模"
    enterprises = Enterprise.objects.filter(pk__in=[firm.pk, world.other.enterprise.pk])
    admitted = eligible_ids(enterprises, rule, dt.date(2026, 6, 1))
    assert firm.pk in admitted
    other = "shop" if firm.kind != "shop" else "above_size"
    rule, _problems = parsed_condition({"attribute": "kind", "op": "in", "value": [other]})
    assert firm.pk not in eligible_ids(enterprises, rule, dt.date(2026, 6, 1))


def test_what_is_wrong_with_a_condition_is_said_and_an_empty_one_is_no_rule() -> None:
    assert parsed_condition("") == ({}, [])
    assert parsed_condition("   ") == ({}, [])
    rule, problems = parsed_condition("{not json")
    assert rule == {} and problems == ["适用企业规则须为规则引擎的 JSON 格式"]
    rule, problems = parsed_condition('{"attribute": "no_such_thing", "op": "=", "value": 1}')
    assert rule == {} and problems and "no_such_thing" in problems[0]
