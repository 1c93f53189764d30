"""Explanations in plain words, in Chinese and in English: every kind of condition the engine
supports read as a sentence with the enterprise's figure, its source and year and whether it
is met; groups indented instead of tree paths; negations said positively; amounts in the unit
the policy states."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from lianqi.rules import (
    AllOf,
    AnyOf,
    Condition,
    Declaration,
    Engine,
    Not,
    Parameter,
    Parameters,
    ParameterValue,
    Rule,
    build_table,
    explain,
)
from lianqi.rules.catalogue import ENTERPRISE_CATALOGUE
from lianqi.rules.model import Bracket, Fixed, Node, Percentage, Tiered
from lianqi.testing.world import World, ensure_industries

from ..explanations import WordedExplanation, Wording

AS_OF = dt.date(2025, 6, 30)
SUBJECT: dict[str, Any] = {
    "jurisdiction": "430371",
    "industry": "3811",
    "kind": "above_size",
    "tags": {"专精特新"},
    "founded_on": dt.date(2019, 4, 1),
    "employees": 120,
    "revenue": {2024: 2100},
    "tax": {2024: 12},
}
PARAMETERS = Parameters(
    [Parameter("cap", "注册资本门槛", "万元", (ParameterValue(dt.date(2024, 1, 1), 500),))]
)


@pytest.fixture(autouse=True)
def names(world: World) -> None:
    # The jurisdiction (湘潭高新区 430371, 湘潭市 430300) and industry (制造业 C, 38) tables.
    ensure_industries()


def words(
    node: Node, language: str, subject: dict[str, Any] | None = None, benefit: Any = None
) -> WordedExplanation:
    explanation = explain(
        Rule("T", "测试", node, benefit=benefit),
        SUBJECT if subject is None else subject,
        as_of=AS_OF,
        parameters=PARAMETERS,
    )
    with translation.override(language):
        return Wording(explanation.items()).explanation(explanation, benefit, as_of=AS_OF)


def line(node: Node, language: str, subject: dict[str, Any] | None = None) -> str:
    """The one condition of `node` (under a root `all`) as its sentence."""
    worded = words(AllOf((node,)), language, subject)
    return str(worded.sentences[1])


# One case per kind of condition: the condition, the Chinese and the English sentence.
CASES = [
    pytest.param(
        Condition("revenue", ">=", 2000, year=-1),
        "2024 年营业收入不低于 2000 万元：本企业为 2100 万元（来源：统计年报 2024） — 符合",
        "Operating revenue in 2024 is at least 2000 × 10,000 yuan. This enterprise: 2100 × 10,000 yuan"
        " (source: statistical annual report, 2024) — Eligible",
        id="yearly figure with its year, unit and source",
    ),
    pytest.param(
        Condition("employees", "<", 100),
        "从业人数低于 100 人：本企业为 120 人（来源：企业填报） — 不符合",
        "Employees is less than 100 people. This enterprise: 120 people (source: reported by the enterprise)"
        " — Ineligible",
        id="number below",
    ),
    pytest.param(
        Condition("employees", "<=", 120),
        "从业人数不高于 120 人：本企业为 120 人（来源：企业填报） — 符合",
        "Employees is at most 120 people. This enterprise: 120 people (source: reported by the enterprise)"
        " — Eligible",
        id="number at most",
    ),
    pytest.param(
        Condition("employees", ">", 120),
        "从业人数高于 120 人：本企业为 120 人（来源：企业填报） — 不符合",
        "Employees is more than 120 people. This enterprise: 120 people (source: reported by the enterprise)"
        " — Ineligible",
        id="number above",
    ),
    pytest.param(
        Condition("employees", "!=", 0),
        "从业人数不等于 0 人：本企业为 120 人（来源：企业填报） — 符合",
        "Employees does not equal 0 people. This enterprise: 120 people (source: reported by the enterprise)"
        " — Eligible",
        id="number other than",
    ),
    pytest.param(
        Condition("registered_capital", ">=", None, parameter="cap"),
        "注册资本不低于 500 万元（注册资本门槛）：本企业暂无此项数据（来源：工商登记） — 缺少数据",
        "Registered capital is at least 500 × 10,000 yuan (注册资本门槛). No figure on record for this"
        " enterprise (source: business registration) — Data missing",
        id="parameter threshold, figure missing",
    ),
    pytest.param(
        Condition("founded_on", ">=", 3),
        "成立年限不低于 3 年：本企业为 6 年（来源：工商登记） — 符合",
        "Years since establishment is at least 3 years. This enterprise: 6 years (source: business"
        " registration) — Eligible",
        id="age of a date",
    ),
    pytest.param(
        Condition("kind", "in", ("above_size", "below_size")),
        "主体类型为规上企业或规下企业：本企业为 规上企业（来源：企业库） — 符合",
        "Entity type is Above-designated-size enterprise or Below-designated-size enterprise. This"
        " enterprise: Above-designated-size enterprise (source: enterprise register) — Eligible",
        id="one of a list",
    ),
    pytest.param(
        Not(Condition("kind", "in", ("shop",))),
        "主体类型不是门店：本企业为 规上企业（来源：企业库） — 符合",
        "Entity type is not Shop. This enterprise: Above-designated-size enterprise (source: enterprise"
        " register) — Eligible",
        id="not one of a list",
    ),
    pytest.param(
        Condition("tags", "has", "专精特新"),
        "企业带有“专精特新”标签：本企业带有该标签（来源：企业库） — 符合",
        "The enterprise has the tag “专精特新”. This enterprise has this tag (source: enterprise register)"
        " — Eligible",
        id="has a tag",
    ),
    pytest.param(
        Not(Condition("tags", "has", "失信企业")),
        "企业没有“失信企业”标签：本企业没有该标签（来源：企业库） — 符合",
        "The enterprise does not have the tag “失信企业”. This enterprise does not have this tag (source:"
        " enterprise register) — Eligible",
        id="not has a tag reads as lacks",
    ),
    pytest.param(
        Condition("tags", "lacks", "专精特新"),
        "企业没有“专精特新”标签：本企业带有该标签（来源：企业库） — 不符合",
        "The enterprise does not have the tag “专精特新”. This enterprise has this tag (source: enterprise"
        " register) — Ineligible",
        id="lacks a tag",
    ),
    pytest.param(
        Condition(
            "industry",
            "prefix",
            (
                "C38",
                "C",
            ),
        ),
        "所属行业在电气机械和器材制造业（38）或制造业（C）范围内：本企业为 电气机械和器材制造业（3811）（来源：企业库） — 符合",
        "Industry is within 电气机械和器材制造业 (38) or 制造业 (C). This enterprise: 电气机械和器材制造业"
        " (3811) (source: enterprise register) — Eligible",
        id="industry prefixes by name",
    ),
    pytest.param(
        Condition("jurisdiction", "prefix", ("4303",)),
        "所属辖区在湘潭市（4303）范围内：本企业为 湘潭高新区（430371）（来源：企业库） — 符合",
        "Jurisdiction is within 湘潭市 (4303). This enterprise: 湘潭高新区 (430371) (source: enterprise"
        " register) — Eligible",
        id="jurisdiction prefix by name",
    ),
    pytest.param(
        Not(Condition("jurisdiction", "prefix", ("430372",))),
        "所属辖区不在湘潭经开区（430372）范围内：本企业为 湘潭高新区（430371）（来源：企业库） — 符合",
        "Jurisdiction is outside 湘潭经开区 (430372). This enterprise: 湘潭高新区 (430371) (source: enterprise"
        " register) — Eligible",
        id="not within a jurisdiction",
    ),
    pytest.param(
        Not(Condition("revenue", ">=", 5000, year=-1)),
        "2024 年营业收入低于 5000 万元：本企业为 2100 万元（来源：统计年报 2024） — 符合",
        "Operating revenue in 2024 is less than 5000 × 10,000 yuan. This enterprise: 2100 × 10,000 yuan"
        " (source: statistical annual report, 2024) — Eligible",
        id="negated comparison reads positively",
    ),
    pytest.param(
        Declaration("近三年未发生重大安全生产事故"),
        "近三年未发生重大安全生产事故（由企业自主申报） — 待企业申报",
        "近三年未发生重大安全生产事故 (declared by the enterprise) — To be declared by the enterprise",
        id="self-declared fact",
    ),
    pytest.param(
        Not(Declaration("列入经营异常名录")),
        "不存在以下情形：列入经营异常名录（由企业自主申报） — 待企业申报",
        "Not the case: 列入经营异常名录 (declared by the enterprise) — To be declared by the enterprise",
        id="self-declared fact that must not hold",
    ),
]


@pytest.mark.parametrize(("node", "chinese", "english"), CASES)
def test_every_kind_of_condition_reads_as_a_sentence_in_both_languages(
    node: Node, chinese: str, english: str
) -> None:
    assert line(node, "zh-hans") == chinese
    assert line(node, "en") == english


def test_a_range_reads_as_two_sentences_under_all_of_the_following() -> None:
    worded = words(AllOf((Condition("employees", ">=", 10), Condition("employees", "<", 300))), "zh-hans")
    assert worded.lines() == [
        "满足以下全部条件 — 符合",
        "  从业人数不低于 10 人：本企业为 120 人（来源：企业填报） — 符合",
        "  从业人数低于 300 人：本企业为 120 人（来源：企业填报） — 符合",
    ]


def test_nested_and_negated_groups_read_as_indented_sentences_without_paths() -> None:
    """not(any of: tax < 10, R&D ≤ 50) is "all of: tax ≥ 10, R&D > 50", one level deeper."""
    node = AllOf(
        (
            AnyOf((Condition("tags", "has", "专精特新"), Condition("tags", "has", "小巨人"))),
            Not(AnyOf((Condition("tax", "<", 10, year=-1), Condition("rd_spending", "<=", 50, year=-1)))),
        )
    )
    zh = words(node, "zh-hans")
    assert zh.lines() == [
        "满足以下全部条件 — 待定",
        "  满足以下任一条件 — 符合",
        "    企业带有“专精特新”标签：本企业带有该标签（来源：企业库） — 符合",
        "    企业带有“小巨人”标签：本企业没有该标签（来源：企业库） — 不符合",
        "  满足以下全部条件 — 待定",
        "    2024 年纳税额不低于 10 万元：本企业为 12 万元（来源：税务数据 2024） — 符合",
        "    2024 年研发投入高于 50 万元：本企业暂无此项数据（来源：统计年报 2024） — 缺少数据",
    ]
    assert not any("1." in text or "不满足" in text for text in zh.lines())
    en = words(node, "en")
    assert [s.text for s in en.sentences[:2] + en.sentences[4:5]] == [
        "All of the following",
        "At least one of the following",
        "All of the following",
    ]
    assert en.sentences[5].outcome == "Eligible" and en.sentences[6].outcome == "Data missing"


@pytest.mark.parametrize(
    ("benefit", "chinese", "english"),
    [
        (
            Fixed(20),
            "金额：约 20 万元（定额 20 万元）",
            "Amount: about 20 × 10,000 yuan (A fixed 20 × 10,000 yuan)",
        ),
        (
            Fixed(5000, unit="元"),
            "金额：约 5000 元（定额 5000 元）",
            "Amount: about 5000 yuan (A fixed 5000 yuan)",
        ),
        (
            Percentage("revenue", 3, cap=50, year=-1),
            "金额：约 50 万元（按2024 年营业收入的 3%，最高 50 万元）",
            "Amount: about 50 × 10,000 yuan (3% of Operating revenue in 2024, at most 50 × 10,000 yuan)",
        ),
        (
            Tiered("revenue", (Bracket(2000, 10), Bracket(5000, 20)), year=-1),
            "金额：约 10 万元（按2024 年营业收入分档：2000 万元及以上：10 万元；5000 万元及以上：20 万元）",
            "Amount: about 10 × 10,000 yuan (By Operating revenue in 2024, in brackets: 2000 × 10,000 yuan"
            " or more: 10 × 10,000 yuan; 5000 × 10,000 yuan or more: 20 × 10,000 yuan)",
        ),
    ],
)
def test_the_amount_is_said_in_the_unit_the_policy_states(benefit: Any, chinese: str, english: str) -> None:
    node = AllOf((Condition("employees", ">=", 10),))
    assert words(node, "zh-hans", benefit=benefit).amount_text == chinese
    assert words(node, "en", benefit=benefit).amount_text == english


def test_a_near_miss_names_the_condition_the_figure_and_the_gap() -> None:
    rule = Rule("REV", "营收奖励", AllOf((Condition("revenue", ">=", 2000, year=-1),)))
    engine = Engine.compile(
        [rule], build_table([{"revenue": {2024: 1880}}], ENTERPRISE_CATALOGUE), as_of=AS_OF
    )
    [miss] = engine.near_misses(0)
    with translation.override("zh-hans"):
        sentence = Wording().near_miss(miss)
        assert (
            str(sentence)
            == "2024 年营业收入不低于 2000 万元：本企业为 1880 万元（来源：统计年报 2024） — 差 120 万元"
        )
    with translation.override("en"):
        sentence = Wording().near_miss(miss)
        assert sentence.outcome == "Short by 120 × 10,000 yuan"
