"""Why a subject fits a rule or not. `explain` gives the tree of the rule with each node's
verdict and, for a condition, the value used, the year it came from and its source;
`Explanation.items` gives the same as a list of structured lines in reading order (negations
pushed into the conditions, so that every line can be said positively), which the apps turn
into sentences in the reader's language. `lines()` and `describe()` are the engine's own
compact Chinese trace, for tests and the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from .catalogue import ENTERPRISE_CATALOGUE, AttributeKind, Catalogue
from .evaluate import NEGATED_OP, benefit_amount, benefit_base, read_condition
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
    node: Node | None = None  # the rule's node this explains
    parameter_label: str = ""

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

    def items(self) -> list[Item]:
        """The explanation as lines in reading order (see `Item`)."""
        return tree_items(self.tree)

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
            return ExplanationNode(path, kind, VERDICT_OF[value], text, children=kids, node=node)
        if isinstance(node, Not):
            kid = visit(node.child, f"{path}.1")
            verdict = VERDICT_OF[TRUE - _value(kid.verdict)]
            return ExplanationNode(path, "not", verdict, text, children=[kid], node=node)
        if isinstance(node, Declaration):
            return ExplanationNode(path, "declare", Verdict.UNKNOWN, text, node=node)
        assert isinstance(node, Condition)
        reading = read_condition(node, profile, catalogue=catalogue, parameters=parameters, as_of=as_of)
        attribute = catalogue[node.attribute]
        parameter = parameters.get(node.parameter) if node.parameter is not None else None
        return ExplanationNode(
            path,
            "condition",
            VERDICT_OF[reading.value],
            text,
            attribute=node.attribute,
            used=reading.used,
            year=reading.year,
            source=attribute.source,
            unit=node.unit or attribute.condition_unit,
            target=reading.target,
            node=node,
            parameter_label=parameter.label if parameter is not None else (node.parameter or ""),
        )

    tree = visit(rule.eligibility, "1")
    amount = None
    amount_text = ""
    if rule.benefit is not None:
        amount_text = describe_benefit(rule.benefit, catalogue)
        if tree.verdict is Verdict.ELIGIBLE:
            amount = benefit_amount(rule.benefit, benefit_base(rule.benefit, profile, catalogue, as_of))
    return Explanation(rule.code, rule.name, tree.verdict, tree, amount, amount_text)


@dataclass(frozen=True)
class Item:
    """One line of an explanation, structured so that an app can say it in words: a group
    heading (`kind` "all" / "any", its conditions follow one level deeper), a condition or a
    self-declared fact. Negations are already pushed into the lines (not(a or b) reads as
    "all of: not a, not b"; not(revenue ≥ 2000) as revenue < 2000), so `op` is the test the
    subject must pass; `negated` is set only where an operator has no positive opposite
    (not within a code prefix, not one of a list, a declaration that must not hold).

    `threshold` is what is compared against (codes, a tag, a number: a parameter's value on
    the evaluation date, None when it has none), `actual` the subject's value (None when not
    known; the full years elapsed for a date), `year` the calendar year of a yearly figure.
    `outcome` is None in an outline of a rule read without a subject."""

    depth: int
    kind: str  # all / any / condition / declare
    outcome: Verdict | None
    attribute: str | None = None
    op: str | None = None
    negated: bool = False
    threshold: Any = None
    parameter: str | None = None
    parameter_label: str = ""
    year: int | None = None
    actual: Any = None
    unit: str = ""
    source: str = ""
    text: str = ""


_SWAPPED_GROUP = {"all": "any", "any": "all"}


def _flipped(verdict: Verdict) -> Verdict:
    return VERDICT_OF[TRUE - _value(verdict)]


def tree_items(tree: ExplanationNode) -> list[Item]:
    """The explained tree as `Item`s, parents before children, negations pushed down."""
    found: list[Item] = []

    def visit(node: ExplanationNode, depth: int, negated: bool) -> None:
        if node.kind == "not":
            visit(node.children[0], depth, not negated)
            return
        outcome = _flipped(node.verdict) if negated else node.verdict
        if node.kind in ("all", "any"):
            found.append(Item(depth, _SWAPPED_GROUP[node.kind] if negated else node.kind, outcome))
            for child in node.children:
                visit(child, depth + 1, negated)
            return
        if node.kind == "declare":
            assert isinstance(node.node, Declaration)
            found.append(Item(depth, "declare", Verdict.UNKNOWN, negated=negated, text=node.node.text))
            return
        condition = node.node
        assert isinstance(condition, Condition)
        op = condition.op
        if negated and op in NEGATED_OP:
            op, negated = NEGATED_OP[op], False
        found.append(
            Item(
                depth,
                "condition",
                outcome,
                attribute=condition.attribute,
                op=op,
                negated=negated,
                threshold=node.target,
                parameter=condition.parameter,
                parameter_label=node.parameter_label,
                year=node.year,
                actual=node.used,
                unit=node.unit,
                source=node.source,
            )
        )

    visit(tree, 0, False)
    return found


def outline_items(
    rule: Rule,
    *,
    as_of: dt.date,
    parameters: Parameters | None = None,
    catalogue: Catalogue = ENTERPRISE_CATALOGUE,
) -> list[Item]:
    """A rule's conditions as `Item`s without a subject (what a policy page lists as its
    conditions): thresholds and years as of `as_of`, no values, no outcomes."""
    explained = explain(rule, {}, as_of=as_of, parameters=parameters, catalogue=catalogue)
    return [replace(item, outcome=None, actual=None) for item in explained.items()]


def miss_item(miss: NearMissLike, catalogue: Catalogue = ENTERPRISE_CATALOGUE) -> Item:
    """The one condition a near miss fails, as an `Item` (its outcome: not met)."""
    condition = miss.condition
    if isinstance(condition, Declaration):
        return Item(0, "declare", Verdict.INELIGIBLE, negated=miss.negated, text=condition.text)
    op, negated = condition.op, miss.negated
    if negated and op in NEGATED_OP:
        op, negated = NEGATED_OP[op], False
    attribute = catalogue[condition.attribute]
    return Item(
        0,
        "condition",
        Verdict.INELIGIBLE,
        attribute=condition.attribute,
        op=op,
        negated=negated,
        threshold=miss.target,
        parameter=condition.parameter,
        year=miss.year,
        actual=miss.used,
        unit=condition.unit or attribute.condition_unit,
        source=attribute.source,
    )


class NearMissLike(Protocol):
    """What `miss_item` reads of the engine's `NearMiss` (named so to keep this module free of
    the engine's import)."""

    @property
    def condition(self) -> Condition | Declaration: ...

    @property
    def negated(self) -> bool: ...

    @property
    def used(self) -> Any: ...

    @property
    def target(self) -> Any: ...

    @property
    def year(self) -> int | None: ...


def _value(verdict: Verdict) -> int:
    return {Verdict.ELIGIBLE: TRUE, Verdict.INELIGIBLE: FALSE, Verdict.UNKNOWN: UNKNOWN}[verdict]
