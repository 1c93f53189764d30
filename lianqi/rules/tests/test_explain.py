"""Explanations in plain Chinese, near misses with their gap, and self-declared conditions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lianqi.rules import (
    ENTERPRISE_CATALOGUE,
    AllOf,
    AnyOf,
    Condition,
    Declaration,
    Engine,
    Not,
    Rule,
    Verdict,
    build_table,
    describe,
    explain,
    load_rules,
    miss_item,
    outline_items,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "policies.json"
AS_OF = dt.date(2025, 6, 30)


def test_describe_writes_plain_chinese_sentences():
    assert describe(Condition("revenue", ">=", 2000, year=-1)) == "上年度营业收入 ≥ 2000 万元"
    assert describe(Condition("employees", "<", 50)) == "从业人数 < 50 人"
    assert describe(Condition("founded_on", ">=", 3)) == "成立年限 ≥ 3 年"
    assert describe(Condition("kind", "in", ("above_size", "shop"))) == "主体类型为 规上企业 或 门店"
    assert describe(Condition("tags", "lacks", "失信企业")) == "企业标签不含「失信企业」"
    assert describe(Condition("industry", "prefix", ("C38",))) == "所属行业属于 C38"
    assert describe(Declaration("近三年无重大事故")) == "（自主申报）近三年无重大事故"
    assert describe(AnyOf(())) == "满足以下任一条件"


def test_describe_resolves_a_parameter_on_a_date():
    ruleset = load_rules(EXAMPLES)
    condition = ruleset.by_code()["LD-2025-001"].eligibility.children[2]  # type: ignore[union-attr]
    assert describe(condition, parameters=ruleset.parameters) == "上年度营业收入 ≥ 参数「规上企业营收门槛」"
    assert (
        describe(condition, parameters=ruleset.parameters, as_of=dt.date(2026, 2, 1))
        == "2025 年度营业收入 ≥ 3000 万元（参数「规上企业营收门槛」）"
    )


def test_explanation_marks_each_condition_with_value_year_and_source():
    ruleset = load_rules(EXAMPLES)
    rule = ruleset.by_code()["LD-2025-001"]
    subject = {
        "jurisdiction": "431302001",
        "industry": "3811",
        "revenue": {2024: 1800, 2023: 2600},
        "tags": ["专精特新"],
    }
    result = explain(rule, subject, as_of=AS_OF, parameters=ruleset.parameters)
    assert result.verdict is Verdict.INELIGIBLE
    revenue = result.tree.find("1.3")
    assert (revenue.verdict, revenue.used, revenue.year, revenue.source) == (
        Verdict.INELIGIBLE,
        1800,
        2024,
        "统计年报",
    )
    assert revenue.target == 2000
    founded = result.tree.find("1.4")
    assert founded.verdict is Verdict.UNKNOWN and founded.used is None  # missing data: unknown, not no
    assert result.tree.find("1.5").verdict is Verdict.ELIGIBLE  # not (has 失信企业)
    assert result.tree.find("1.5.1").verdict is Verdict.INELIGIBLE
    assert result.tree.find("1.6").kind == "declare" and result.tree.find("1.6").verdict is Verdict.UNKNOWN
    lines = result.lines()
    assert (
        "✗ 1.3 2024 年度营业收入 ≥ 2000 万元（参数「规上企业营收门槛」）（2024 年度：1800 万元，来源：统计年报）"
        in [line.strip() for line in lines]
    )
    assert any("1.4" in line and "无数据" in line for line in lines)
    assert result.amount is None  # not eligible: no amount


def test_explanation_of_an_eligible_subject_carries_its_amount():
    ruleset = load_rules(EXAMPLES)
    rule = ruleset.by_code()["SS-2024-003"]
    result = explain(rule, {"jurisdiction": "430382100", "local_purchase": {2024: 400}}, as_of=AS_OF)
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == 12
    assert result.lines()[-1] == "金额：按上年度本地采购额的 3%，最高 50 万元 → 12"


def near_miss_engine(records):
    rules = [
        Rule(
            "REV",
            "营收奖励",
            AllOf(
                (Condition("jurisdiction", "prefix", ("4313",)), Condition("revenue", ">=", 2000, year=-1))
            ),
        ),
        Rule(
            "TWO",
            "两项都差",
            AllOf((Condition("employees", ">=", 500), Condition("revenue", ">=", 9000, year=-1))),
        ),
        Rule(
            "ANY",
            "任一标签",
            AllOf(
                (
                    AnyOf((Condition("tags", "has", "专精特新"), Condition("tags", "has", "小巨人"))),
                    Condition("kind", "in", ("above_size",)),
                )
            ),
        ),
        Rule(
            "NOT",
            "非失信",
            AllOf((Not(Condition("tags", "has", "失信企业")), Condition("employees", ">=", 10))),
        ),
        Rule(
            "UNK", "缺数据", AllOf((Condition("tax", ">=", 10, year=-1), Condition("employees", ">=", 500)))
        ),
    ]
    return Engine.compile(rules, build_table(records, ENTERPRISE_CATALOGUE), as_of=AS_OF)


def test_near_misses_name_the_one_condition_and_the_gap():
    record = {
        "jurisdiction": "431302001",
        "revenue": {2024: 1800},
        "employees": 120,
        "kind": "above_size",
        "tags": ["失信企业"],
    }
    engine = near_miss_engine([record])
    misses = {(m.rule, m.path): m for m in engine.near_misses(0)}
    assert set(misses) == {("REV", "1.2"), ("ANY", "1.1.1"), ("ANY", "1.1.2"), ("NOT", "1.1.1")}
    revenue = misses[("REV", "1.2")]
    assert (revenue.used, revenue.target, revenue.gap, revenue.unit, revenue.year) == (
        1800,
        2000,
        200,
        "万元",
        2024,
    )
    assert misses[("NOT", "1.1.1")].negated  # it must lose the tag, not gain it
    assert misses[("ANY", "1.1.1")].gap is None
    # TWO fails on two conditions; UNK lacks the tax figure: neither is one condition away.
    assert engine.near_misses(record) == engine.near_misses(0)


def test_an_eligible_rule_is_no_near_miss():
    engine = near_miss_engine([{"jurisdiction": "431302001", "revenue": {2024: 2500}}])
    assert "REV" not in {m.rule for m in engine.near_misses(0)}


def test_self_declared_conditions_stay_unknown_and_are_offered_to_declare():
    rule = Rule(
        "D",
        "需申报",
        AllOf((Condition("employees", ">=", 10), Declaration("近三年未发生重大安全生产事故"))),
    )
    table = build_table([{"employees": 50}, {"employees": 5}], ENTERPRISE_CATALOGUE)
    engine = Engine.compile([rule], table, as_of=AS_OF)
    matching = engine.match()
    assert matching.verdict("D", 0) is Verdict.UNKNOWN
    assert matching.verdict("D", 1) is Verdict.INELIGIBLE
    assert engine.match_one(0).to_declare == ["D"]
    assert engine.match_one(1).to_declare == []


def _summary(item):
    return (item.depth, item.kind, item.op, item.negated, item.outcome)


def test_items_push_negations_into_the_conditions():
    """not(any of: revenue ≥ 2000, one of [shop], tag 失信) reads as "all of: revenue < 2000,
    not one of [shop], lacks 失信", each line with the verdict it has after the negation."""
    rule = Rule(
        "NEG",
        "否定",
        Not(
            AnyOf(
                (
                    Condition("revenue", ">=", 2000, year=-1),
                    Condition("kind", "in", ("shop",)),
                    Condition("tags", "has", "失信企业"),
                )
            )
        ),
    )
    subject = {"revenue": {2024: 1800}, "kind": "above_size", "tags": []}
    items = explain(rule, subject, as_of=AS_OF).items()
    assert [_summary(i) for i in items] == [
        (0, "all", None, False, Verdict.ELIGIBLE),
        (1, "condition", "<", False, Verdict.ELIGIBLE),
        (1, "condition", "in", True, Verdict.ELIGIBLE),
        (1, "condition", "lacks", False, Verdict.ELIGIBLE),
    ]
    revenue = items[1]
    assert (revenue.actual, revenue.threshold, revenue.year, revenue.unit, revenue.source) == (
        1800,
        2000,
        2024,
        "万元",
        "统计年报",
    )


def test_a_negated_all_reads_as_any_and_a_negated_declaration_keeps_its_flag():
    rule = Rule(
        "NEG2",
        "否定",
        AllOf(
            (
                Not(AllOf((Condition("employees", ">=", 500), Condition("founded_on", "<", 3)))),
                Not(Declaration("存在违法记录")),
            )
        ),
    )
    items = explain(rule, {"employees": 20}, as_of=AS_OF).items()
    assert [_summary(i) for i in items] == [
        (0, "all", None, False, Verdict.UNKNOWN),
        (1, "any", None, False, Verdict.ELIGIBLE),
        (2, "condition", "<", False, Verdict.ELIGIBLE),
        (2, "condition", ">=", False, Verdict.UNKNOWN),
        (1, "declare", None, True, Verdict.UNKNOWN),
    ]
    assert items[4].text == "存在违法记录"


def test_outline_items_carry_thresholds_of_the_date_but_no_subject():
    ruleset = load_rules(EXAMPLES)
    rule = ruleset.by_code()["LD-2025-001"]
    items = outline_items(rule, as_of=dt.date(2026, 2, 1), parameters=ruleset.parameters)
    revenue = next(i for i in items if i.attribute == "revenue")
    assert (revenue.threshold, revenue.year, revenue.parameter_label) == (3000, 2025, "规上企业营收门槛")
    assert all(i.outcome is None and i.actual is None for i in items)


def test_a_near_miss_reads_as_the_condition_it_fails():
    engine = near_miss_engine([{"jurisdiction": "431302001", "revenue": {2024: 1800}, "tags": ["失信企业"]}])
    misses = {(m.rule, m.path): m for m in engine.near_misses(0)}
    revenue = miss_item(misses[("REV", "1.2")])
    assert (revenue.op, revenue.actual, revenue.threshold, revenue.year, revenue.outcome) == (
        ">=",
        1800,
        2000,
        2024,
        Verdict.INELIGIBLE,
    )
