"""Benefit amounts (fixed, tiered, percentage with cap, unknown base), budgets, and dated
parameters."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from lianqi.rules import (
    ENTERPRISE_CATALOGUE,
    AllOf,
    Bracket,
    Condition,
    Engine,
    Fixed,
    Parameter,
    Parameters,
    ParameterValue,
    Percentage,
    Rule,
    Tiered,
    Verdict,
    build_table,
    explain,
)

AS_OF = dt.date(2025, 6, 30)
ANYONE = AllOf((Condition("kind", "in", ("above_size", "below_size")),))
SUBJECTS = [
    {"id": 1, "kind": "above_size", "revenue": {2024: 800}, "local_purchase": {2024: 100}},
    {"id": 2, "kind": "above_size", "revenue": {2024: 2000}, "local_purchase": {2024: 3000}},
    {"id": 3, "kind": "below_size", "revenue": {2024: 7500}},
    {"id": 4, "kind": "below_size", "revenue": {2023: 9000}, "local_purchase": {2024: 0}},
    {"id": 5, "kind": "shop", "revenue": {2024: 9000}, "local_purchase": {2024: 500}},
]
RULES = [
    Rule("FIX", "定额", ANYONE, Fixed(5)),
    Rule("TIER", "分档", ANYONE, Tiered("revenue", (Bracket(1000, 10), Bracket(5000, 30)), year=-1)),
    Rule("PCT", "比例封顶", ANYONE, Percentage("local_purchase", 3, cap=50, year=-1)),
]


@pytest.fixture
def matching():
    return Engine.compile(RULES, build_table(SUBJECTS, ENTERPRISE_CATALOGUE), as_of=AS_OF).match()


def amounts_by_id(matching, code):
    rows, amounts = matching.amounts(code)
    return {
        int(matching.engine.table.ids[r]): (None if math.isnan(a) else float(a))
        for r, a in zip(rows, amounts, strict=True)
    }


def test_fixed_amount_for_every_eligible_subject(matching):
    assert amounts_by_id(matching, "FIX") == {1: 5, 2: 5, 3: 5, 4: 5}
    budget = matching.budget("FIX")
    assert (budget.total, budget.eligible, budget.unknown_amounts) == (20, 4, 0)


def test_tiered_amount_by_bracket_and_unknown_base(matching):
    # 800 is below the first bracket (0); 2000 → 10; 7500 → 30; 2024 revenue unknown → unknown.
    assert amounts_by_id(matching, "TIER") == {1: 0, 2: 10, 3: 30, 4: None}
    budget = matching.budget("TIER")
    assert (budget.total, budget.eligible, budget.unknown_amounts) == (40, 4, 1)


def test_percentage_with_cap_and_unknown_base(matching):
    # 3% of 100 = 3; 3% of 3000 = 90 capped at 50; no figure → unknown; 0 → 0.
    assert amounts_by_id(matching, "PCT") == {1: 3, 2: 50, 3: None, 4: 0}
    budget = matching.budget("PCT")
    assert (budget.total, budget.eligible, budget.unknown_amounts) == (53, 4, 1)


def test_budgets_agree_with_the_explained_amounts(matching):
    budgets = matching.budgets()
    for rule in RULES:
        amounts = [
            explain(rule, s, as_of=AS_OF).amount
            for s in SUBJECTS
            if explain(rule, s, as_of=AS_OF).verdict is Verdict.ELIGIBLE
        ]
        assert budgets[rule.code].total == sum(a for a in amounts if a is not None)
        assert budgets[rule.code].unknown_amounts == sum(a is None for a in amounts)


def test_budget_follows_an_incremental_update(matching):
    engine = matching.engine
    engine.update_subject(3, {"id": 4, "kind": "below_size", "revenue": {2024: 6000}})
    assert matching.budget("TIER").total == 70
    assert matching.budget("TIER").unknown_amounts == 0


THRESHOLD = Parameters(
    [
        Parameter(
            "threshold",
            "营收门槛",
            "万元",
            (ParameterValue(dt.date(2024, 1, 1), 2000), ParameterValue(dt.date(2026, 1, 1), 3000)),
        )
    ]
)


@pytest.mark.parametrize(
    ("as_of", "eligible"),
    [
        (dt.date(2025, 12, 31), {1, 2}),  # threshold 2000; compares 2024 revenue
        (dt.date(2026, 1, 1), {2}),  # threshold 3000 from this day; compares 2025 revenue
        (dt.date(2023, 6, 1), set()),  # no value yet: unknown for everyone
    ],
)
def test_parameter_value_depends_on_the_date(as_of, eligible):
    rule = Rule("P", "门槛", AllOf((Condition("revenue", ">=", parameter="threshold", year=-1),)))
    subjects = [
        {"id": 1, "revenue": {2022: 2500, 2024: 2500, 2025: 2500}},
        {"id": 2, "revenue": {2022: 3500, 2024: 3500, 2025: 3500}},
        {"id": 3, "revenue": {2022: 1500, 2024: 1500, 2025: 1500}},
    ]
    engine = Engine.compile(
        [rule], build_table(subjects, ENTERPRISE_CATALOGUE), as_of=as_of, parameters=THRESHOLD
    )
    sets = engine.match().sets("P")
    assert sets[Verdict.ELIGIBLE] == eligible
    if not eligible:
        assert sets[Verdict.UNKNOWN] == {1, 2, 3}
    for record in subjects:
        verdict = explain(rule, record, as_of=as_of, parameters=THRESHOLD).verdict
        assert (verdict is Verdict.ELIGIBLE) == (record["id"] in eligible)


def test_conditions_equal_on_a_date_share_one_atom():
    rules = [
        Rule("A", "字面值", AllOf((Condition("revenue", ">=", 2000, year=-1),))),
        Rule("B", "参数", AllOf((Condition("revenue", ">=", parameter="threshold", year=-1),))),
        Rule("C", "另一年", AllOf((Condition("revenue", ">=", 2000, year=-2),))),
    ]
    table = build_table(SUBJECTS, ENTERPRISE_CATALOGUE)
    assert len(Engine.compile(rules, table, as_of=AS_OF, parameters=THRESHOLD).atoms) == 2
    assert len(Engine.compile(rules, table, as_of=dt.date(2026, 6, 1), parameters=THRESHOLD).atoms) == 3


def test_vectorised_amounts_match_scalar_ones_on_many_subjects():
    rng = np.random.default_rng(7)
    subjects = [
        {
            "kind": "above_size",
            "revenue": {2024: float(v)} if v >= 0 else {},
            "local_purchase": {2024: float(v) * 2} if v >= 0 else {},
        }
        for v in rng.integers(-200, 30000, size=300)
    ]
    matching = Engine.compile(RULES, build_table(subjects, ENTERPRISE_CATALOGUE), as_of=AS_OF).match()
    for rule in RULES:
        rows, amounts = matching.amounts(rule.code)
        for row, amount in zip(rows, amounts, strict=True):
            expected = explain(rule, subjects[row], as_of=AS_OF).amount
            assert (expected is None and math.isnan(amount)) or expected == pytest.approx(amount)
