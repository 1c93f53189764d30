"""Why a subject fits a rule or not, in plain Chinese: each condition marked ✓ / ✗ / ? with the
value used, the year it came from and its source, in the rule's own tree shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .catalogue import ENTERPRISE_CATALOGUE, AttributeKind, Catalogue
from .evaluate import benefit_amount, benefit_base, read_condition
from .model import (
    FALSE,
    TRUE,
    UNKNOWN,
    VERDICT_OF,
    AllOf,
    AnyOf,
    Benefit,
    Condition,
    Declaration,
    Fixed,
    Node,
    Not,
    Parameters,
    Percentage,
    Rule,
    Tiered,
    Verdict,
)
from .subjects import Profile, normalise_record

OP_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
YEAR_PHRASE = {0: "本年度", -1: "上年度", -2: "前年度"}


def _number(value: Any) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def year_phrase(offset: int | None, as_of: dt.date | None = None) -> str:
    if offset is None:
        return ""
    if as_of is not None:
        return f"{as_of.year + offset} 年度"
    return YEAR_PHRASE.get(offset, f"{-offset} 年前")


def describe(
    node: Node,
    catalogue: Catalogue = ENTERPRISE_CATALOGUE,
    parameters: Parameters | None = None,
    as_of: dt.date | None = None,
) -> str:
    """One Chinese sentence for a condition (上年度营业收入 ≥ 2000 万元) or a group heading.
    With `as_of`, years and parameter values are those of that date."""
    if isinstance(node, AllOf):
        return "同时满足以下全部条件"
    if isinstance(node, AnyOf):
        return "满足以下任一条件"
    if isinstance(node, Not):
        return "不满足以下条件"
    if isinstance(node, Declaration):
        return f"（自主申报）{node.text}"
    attribute = catalogue.get(node.attribute)
    if attribute is None:
        return f"{node.attribute} {node.op} {node.value}"
    label = attribute.label
    if node.op in ("prefix", "in"):
        names = [attribute.choices.get(v, v) for v in node.value or ()]
        verb = "属于" if node.op == "prefix" else "为"
        return f"{label}{verb} {' 或 '.join(names)}"
    if node.op == "has":
        return f"{label}含「{node.value}」"
    if node.op == "lacks":
        return f"{label}不含「{node.value}」"
    unit = attribute.condition_unit
    subject = (attribute.age_label or label) if attribute.kind is AttributeKind.DATE else label
    if node.parameter is not None:
        parameter = parameters.get(node.parameter) if parameters is not None else None
        name = f"参数「{parameter.label if parameter else node.parameter}」"
        value = parameter.value_at(as_of) if parameter is not None and as_of is not None else None
        target = f"{_number(value)} {unit}（{name}）" if value is not None else name
    else:
        target = f"{_number(node.value)} {unit}".strip()
    return f"{year_phrase(node.year, as_of)}{subject} {OP_SYMBOL.get(node.op, node.op)} {target}"


def describe_benefit(benefit: Benefit, catalogue: Catalogue = ENTERPRISE_CATALOGUE) -> str:
    if isinstance(benefit, Fixed):
        return f"定额 {_number(benefit.amount)} {benefit.unit}"
    attribute = catalogue.get(benefit.attribute)
    base = f"{year_phrase(benefit.year)}{attribute.label if attribute else benefit.attribute}"
    if isinstance(benefit, Tiered):
        unit = attribute.unit if attribute else ""
        tiers = "；".join(
            f"≥ {_number(b.start)} {unit}：{_number(b.amount)} {benefit.unit}" for b in benefit.brackets
        )
        return f"按{base}分档：{tiers}"
    assert isinstance(benefit, Percentage)
    cap = f"，最高 {_number(benefit.cap)} {benefit.unit}" if benefit.cap is not None else ""
    return f"按{base}的 {_number(benefit.rate)}%{cap}"


@dataclass
class ExplanationNode:
    """One node of the explained tree. For a condition: the value used (`used`, None when
    the platform does not hold it), the year it is from, the attribute's source, and what it
    was compared with (`target`)."""

    path: str
    kind: str  # all / any / not / condition / declare
    verdict: Verdict
    text: str
    attribute: str | None = None
    used: Any = None
    year: int | None = None
    source: str = ""
    unit: str = ""
    target: Any = None
    children: list[ExplanationNode] = field(default_factory=list)

    def walk(self) -> Iterator[ExplanationNode]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, path: str) -> ExplanationNode:
        return next(node for node in self.walk() if node.path == path)

    @property
    def evidence(self) -> str:
        """「2024 年度：1800 万元，来源：统计年报」, or what is missing."""
        if self.kind == "declare":
            return "待企业申报"
        if self.kind != "condition":
            return ""
        when = f"{self.year} 年度：" if self.year is not None else ""
        if self.used is None:
            return f"{when}无数据，来源：{self.source}"
        if isinstance(self.used, frozenset | set):
            value = "、".join(sorted(self.used)) or "无"
        elif isinstance(self.used, int | float):
            value = f"{_number(self.used)} {self.unit}".strip()
        else:
            value = str(self.used)
        return f"{when}{value}，来源：{self.source}"

    def lines(self, depth: int = 0) -> list[str]:
        """The tree as indented text: `✓ 1.1 上年度营业收入 ≥ 2000 万元（2024 年度：2300 万元，来源：统计年报）`."""
        evidence = f"（{self.evidence}）" if self.evidence else ""
        result = [f"{'  ' * depth}{self.verdict.mark} {self.path} {self.text}{evidence}"]
        for child in self.children:
            result.extend(child.lines(depth + 1))
        return result


@dataclass
class Explanation:
    """A rule explained for one subject: the verdict, the tree, and the amount it would get
    (None when not eligible or when the base figure is missing)."""

    rule: str
    name: str
    verdict: Verdict
    tree: ExplanationNode
    amount: float | None = None
    amount_text: str = ""

    def lines(self) -> list[str]:
        head = f"{self.verdict.mark} {self.name}（{self.rule}）：{self.verdict.label}"
        amount = []
        if self.amount_text and self.verdict is Verdict.ELIGIBLE:
            shown = "无法计算（缺少基数）" if self.amount is None else _number(self.amount)
            amount = [f"金额：{self.amount_text} → {shown}"]
        return [head, *self.tree.lines(1), *amount]


def explain(
    rule: Rule,
    subject: Mapping[str, Any],
    *,
    as_of: dt.date,
    parameters: Parameters | None = None,
    catalogue: Catalogue = ENTERPRISE_CATALOGUE,
    normalised: bool = False,
) -> Explanation:
    """Explain `rule` for a subject given as a record (or, with `normalised`, as a profile from
    `SubjectTable.profile`)."""
    parameters = parameters or Parameters()
    profile: Profile = dict(subject) if normalised else normalise_record(subject, catalogue)

    def visit(node: Node, path: str) -> ExplanationNode:
        text = describe(node, catalogue, parameters, as_of)
        if isinstance(node, AllOf | AnyOf):
            kids = [visit(c, f"{path}.{i}") for i, c in enumerate(node.children, start=1)]
            values = [_value(k.verdict) for k in kids]
            value = min(values, default=TRUE) if isinstance(node, AllOf) else max(values, default=FALSE)
            kind = "all" if isinstance(node, AllOf) else "any"
            return ExplanationNode(path, kind, VERDICT_OF[value], text, children=kids)
        if isinstance(node, Not):
            kid = visit(node.child, f"{path}.1")
            return ExplanationNode(path, "not", VERDICT_OF[TRUE - _value(kid.verdict)], text, children=[kid])
        if isinstance(node, Declaration):
            return ExplanationNode(path, "declare", Verdict.UNKNOWN, text)
        assert isinstance(node, Condition)
        reading = read_condition(node, profile, catalogue=catalogue, parameters=parameters, as_of=as_of)
        attribute = catalogue[node.attribute]
        return ExplanationNode(
            path,
            "condition",
            VERDICT_OF[reading.value],
            text,
            attribute=node.attribute,
            used=reading.used,
            year=reading.year,
            source=attribute.source,
            unit=attribute.condition_unit,
            target=reading.target,
        )

    tree = visit(rule.eligibility, "1")
    amount = None
    amount_text = ""
    if rule.benefit is not None:
        amount_text = describe_benefit(rule.benefit, catalogue)
        if tree.verdict is Verdict.ELIGIBLE:
            amount = benefit_amount(rule.benefit, benefit_base(rule.benefit, profile, catalogue, as_of))
    return Explanation(rule.code, rule.name, tree.verdict, tree, amount, amount_text)


def _value(verdict: Verdict) -> int:
    return {Verdict.ELIGIBLE: TRUE, Verdict.INELIGIBLE: FALSE, Verdict.UNKNOWN: UNKNOWN}[verdict]
