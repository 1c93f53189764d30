"""The credit class as an attribute of the eligibility engine: the enterprise records rules
read carry it (through core's registry), and a finance product that asks for a class changes
its verdict when the enterprise's class changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lianqi.core.roles import Role
from lianqi.finance.matching import fit_for
from lianqi.finance.tests.factories import product_of
from lianqi.policies.subjects import enterprise_records
from lianqi.rules import Verdict
from lianqi.testing.world import World

from .. import actions
from ..choices import RecordKind, RepairState
from .factories import make_record

DAY = dt.date(2025, 6, 30)


def class_rule(code: str) -> dict[str, Any]:
    """A credit loan for enterprises of class A or B."""
    return {
        "version": 1,
        "rules": [
            {
                "code": code,
                "name": "信用贷",
                "eligibility": {"all": [{"attribute": "credit_class", "op": "in", "value": ["A", "B"]}]},
            }
        ],
    }


def test_the_records_rules_read_carry_the_credit_class(world: World) -> None:
    make_record(world, kind=RecordKind.BLACKLIST)
    records = {r["id"]: r for r in enterprise_records(world.home.enterprise.__class__.objects.all())}
    assert records[world.home.enterprise.pk]["credit_class"] == "D"
    assert records[world.other.enterprise.pk]["credit_class"] == "B"


def test_a_finance_product_s_verdict_follows_the_class(world: World) -> None:
    product = product_of(world.home, code="P-XYD", rule=class_rule("P-XYD"))
    enterprise = world.home.enterprise
    assert fit_for(enterprise, product, day=DAY).verdict is Verdict.ELIGIBLE  # B
    record = make_record(world, state=RepairState.REVIEWED, kind=RecordKind.PENALTY)
    make_record(world, kind=RecordKind.PENALTY)  # 70 − 30 = 40: D
    fit = fit_for(enterprise, product, day=DAY)
    assert fit.verdict is Verdict.INELIGIBLE
    actions.complete_repair(
        record=record,
        actor=world.user(Role.SERVICE_OFFICE),
        expected_version=1,
        repaired_on=dt.date(2025, 3, 1),
    )
    actions.sign_commitment(
        enterprise=enterprise,
        text_version="2024年版",
        signed_on=dt.date(2024, 3, 1),
        signed_by="张三",
        actor=world.user(Role.SERVICE_OFFICE),
    )
    # 70 + 5 − 15 = 60: C, still refused; a published rule that sets B at 60 lets it in.
    assert fit_for(enterprise, product, day=DAY).verdict is Verdict.INELIGIBLE
    values = {name: getattr(actions.scoring.DEFAULT_RULE, name) for name in actions.RULE_NAMES}
    actions.publish_rule(
        jurisdiction=world.home.park,
        values={**values, "b_min": 60, "c_min": 40},
        actor=world.user(Role.SERVICE_OFFICE),
    )
    assert fit_for(enterprise, product, day=DAY).verdict is Verdict.ELIGIBLE
