"""What a rule is: an eligibility tree (`all` / `any` / `not` over conditions), an optional
benefit amount, named parameters with dated values, and the rule's own test cases.

Tree positions ("paths") are written `1`, `1.2`, `1.2.1`: the root is `1`, and the i-th child
(from 1) of the node at path p is at `p.i`. Errors, explanations and the spreadsheet format all
name nodes this way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Union


class Verdict(StrEnum):
    """Three-valued outcome: missing data gives UNKNOWN, never INELIGIBLE."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"eligible": "符合", "ineligible": "不符合", "unknown": "待定"}[self.value]

    @property
    def mark(self) -> str:
        return {"eligible": "✓", "ineligible": "✗", "unknown": "?"}[self.value]


# Kleene logic on small integers: false < unknown < true, so `all` is min, `any` is max and
# `not` is 2 - x. The engine uses the same encoding.
FALSE, UNKNOWN, TRUE = 0, 1, 2
VERDICT_OF = {TRUE: Verdict.ELIGIBLE, FALSE: Verdict.INELIGIBLE, UNKNOWN: Verdict.UNKNOWN}


@dataclass(frozen=True)
class Condition:
    """A test of one attribute: `revenue[Y-1] >= 2000 万元` is
    Condition("revenue", ">=", 2000, year=-1, unit="万元"). The value may instead be a named
    parameter resolved at the evaluation date. `value` is a tuple of codes for `prefix` / `in`,
    a tag for `has` / `lacks`, a number otherwise; `year` is the offset from the evaluation
    year for yearly figures (0 = this year, -1 = last year)."""

    attribute: str
    op: str
    value: Any = None
    parameter: str | None = None
    year: int | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Declaration:
    """A fact the platform does not hold (近三年无重大安全事故): shown to the subject, never
    computed; its verdict is always unknown ("to declare")."""

    text: str


@dataclass(frozen=True)
class AllOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Union[Condition, Declaration, AllOf, AnyOf, Not]  # noqa: UP007 (runtime alias for isinstance users)
Leaf = Union[Condition, Declaration]  # noqa: UP007


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, AllOf | AnyOf):
        return node.children
    if isinstance(node, Not):
        return (node.child,)
    return ()


def walk(node: Node, path: str = "1") -> Iterator[tuple[str, Node]]:
    """Every node of a tree with its path, parents before children."""
    yield path, node
    for index, child in enumerate(children(node), start=1):
        yield from walk(child, f"{path}.{index}")


def format_year(offset: int | None) -> str | None:
    if offset is None:
        return None
    return "Y" if offset == 0 else f"Y{offset:+d}"


@dataclass(frozen=True)
class ParameterValue:
    valid_from: dt.date
    value: float


@dataclass(frozen=True)
class Parameter:
    """A named figure that policies refer to and that changes by date (门槛 2000 万元 from
    2024-01-01, 3000 from 2026-01-01). Each value holds from its date until the next one."""

    name: str
    label: str
    unit: str
    values: tuple[ParameterValue, ...]

    def value_at(self, when: dt.date) -> float | None:
        current = None
        for item in sorted(self.values, key=lambda v: v.valid_from):
            if item.valid_from <= when:
                current = item.value
        return current


class Parameters(Mapping[str, Parameter]):
    """The parameters rules may refer to, by name."""

    def __init__(self, parameters: Sequence[Parameter] = ()) -> None:
        self._by_name = {p.name: p for p in parameters}

    def __getitem__(self, name: str) -> Parameter:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def __repr__(self) -> str:
        return f"Parameters({list(self._by_name.values())!r})"

    def value_at(self, name: str, when: dt.date) -> float | None:
        parameter = self._by_name.get(name)
        return None if parameter is None else parameter.value_at(when)


@dataclass(frozen=True)
class Fixed:
    """The same amount for every eligible subject."""

    amount: float
    unit: str = "万元"


@dataclass(frozen=True)
class Bracket:
    start: float  # the base from which this amount applies (inclusive)
    amount: float


@dataclass(frozen=True)
class Tiered:
    """An amount chosen by the bracket the base attribute falls in: the last bracket whose
    start is ≤ the base; below the first bracket the amount is 0."""

    attribute: str
    brackets: tuple[Bracket, ...]
    year: int | None = None
    unit: str = "万元"


@dataclass(frozen=True)
class Percentage:
    """`rate` per cent of the base attribute, at most `cap` (in the base's unit)."""

    attribute: str
    rate: float
    cap: float | None = None
    year: int | None = None
    unit: str = "万元"


Benefit = Union[Fixed, Tiered, Percentage]  # noqa: UP007


@dataclass(frozen=True)
class TestCase:
    """A subject profile and what the rule must say about it on `as_of`. `amount` None means
    the amount is not checked (or, for an eligible subject whose base is missing, unknown)."""

    __test__ = False  # not a pytest class

    name: str
    subject: Mapping[str, Any]
    as_of: dt.date
    verdict: Verdict
    amount: float | None = None
    check_amount: bool = False


@dataclass(frozen=True)
class Rule:
    """One policy's eligibility (申报条件) and benefit (兑现事项). `meta` carries whatever the
    owner of the rule keeps alongside (policy id, department, links) through round trips."""

    code: str
    name: str
    eligibility: Node
    benefit: Benefit | None = None
    tests: tuple[TestCase, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    def conditions(self) -> Iterator[tuple[str, Leaf]]:
        for path, node in walk(self.eligibility):
            if isinstance(node, Condition | Declaration):
                yield path, node


@dataclass(frozen=True)
class RuleSet:
    """What a rule file holds: rules and the parameters they refer to."""

    rules: tuple[Rule, ...]
    parameters: Parameters = field(default_factory=Parameters)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def by_code(self) -> dict[str, Rule]:
        return {rule.code: rule for rule in self.rules}
