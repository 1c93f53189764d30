"""Checks a rule must pass before it is accepted: every condition on a known attribute with an
operator, unit, year offset and value that fit it; no empty `all` / `any`; no `all` that no
subject could ever satisfy (`revenue[Y-1] >= 5000` and `revenue[Y-1] < 1000`)."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .catalogue import OLDEST_YEAR_OFFSET, Attribute, AttributeKind, Catalogue, normalise_industry
from .errors import Issue
from .model import (
    AllOf,
    AnyOf,
    Condition,
    Declaration,
    Fixed,
    Node,
    Not,
    Parameters,
    Percentage,
    Rule,
    RuleSet,
    Tiered,
    format_year,
)


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def validate_ruleset(
    ruleset: RuleSet, catalogue: Catalogue, *, positions: Sequence[int] | None = None
) -> list[Issue]:
    """Every issue of every rule and parameter of a file; empty when the file is sound.
    `positions` gives each rule's place in its file when some rules were left out."""
    issues: list[Issue] = []
    for parameter in ruleset.parameters.values():
        dates = [v.valid_from for v in parameter.values]
        if not dates:
            issues.append(Issue("参数没有任何取值", path=f"parameters.{parameter.name}", field="values"))
        elif len(set(dates)) != len(dates):
            issues.append(
                Issue("参数的同一起始日期有两个取值", path=f"parameters.{parameter.name}", field="values")
            )
    seen: dict[str, int] = {}
    for index, rule in zip(positions or range(1, len(ruleset.rules) + 1), ruleset.rules, strict=True):
        issues.extend(validate_rule(rule, catalogue, ruleset.parameters, index=index))
        if rule.code in seen:
            issues.append(
                Issue(f"编号与第 {seen[rule.code]} 条规则重复", rule=index, code=rule.code, field="code")
            )
        else:
            seen[rule.code] = index
    return issues


def validate_rule(
    rule: Rule, catalogue: Catalogue, parameters: Parameters, *, index: int | None = None
) -> list[Issue]:
    issues: list[Issue] = []

    def issue(message: str, path: str = "", field: str = "") -> None:
        issues.append(Issue(message, rule=index, code=rule.code, path=path, field=field))

    if not rule.code.strip():
        issue("规则编号不能为空", field="code")
    _check_node(rule.eligibility, "1", catalogue, parameters, issue)
    if rule.benefit is not None:
        _check_benefit(rule.benefit, catalogue, issue)
    return issues


Report = Callable[[str, str, str], None]


def _check_node(node: Node, path: str, catalogue: Catalogue, parameters: Parameters, issue: Report) -> None:
    if isinstance(node, AllOf | AnyOf):
        word = "all" if isinstance(node, AllOf) else "any"
        if not node.children:
            issue(f"「{word}」下至少要有一个条件", path, word)
        for i, child in enumerate(node.children, start=1):
            _check_node(child, f"{path}.{i}", catalogue, parameters, issue)
        if isinstance(node, AllOf):
            for message, paths in contradictions(node, path, catalogue):
                issue(message, paths[0], "")
    elif isinstance(node, Not):
        _check_node(node.child, f"{path}.1", catalogue, parameters, issue)
    elif isinstance(node, Declaration):
        if not node.text.strip():
            issue("自主申报条件需要写明申报内容", path, "declare")
    else:
        for field, message in check_condition(node, catalogue, parameters):
            issue(message, path, field)


def check_condition(
    condition: Condition, catalogue: Catalogue, parameters: Parameters
) -> list[tuple[str, str]]:
    """(field, message) for each fault of one condition."""
    attribute = catalogue.get(condition.attribute)
    if attribute is None:
        return [("attribute", f"未知属性「{condition.attribute}」")]
    faults: list[tuple[str, str]] = []
    if condition.op not in attribute.operators:
        faults.append(
            (
                "op",
                f"未知运算符「{condition.op}」：属性「{attribute.label}」可用 {', '.join(attribute.operators)}",
            )
        )
    faults.extend(_check_year(condition.year, attribute, "year"))
    if condition.unit is not None and condition.unit != attribute.condition_unit:
        faults.append(
            (
                "unit",
                f"单位「{condition.unit}」与属性「{attribute.label}」的单位「{attribute.condition_unit or '无'}」不符",
            )
        )
    if condition.parameter is not None:
        if not attribute.is_numeric:
            faults.append(("parameter", f"属性「{attribute.label}」不能与参数比较"))
        elif condition.parameter not in parameters:
            faults.append(("parameter", f"未知参数「{condition.parameter}」"))
        else:
            unit = parameters[condition.parameter].unit
            if unit and unit != attribute.condition_unit:
                faults.append(
                    (
                        "parameter",
                        f"参数「{condition.parameter}」的单位「{unit}」与属性「{attribute.label}」不符",
                    )
                )
        if condition.value is not None:
            faults.append(("value", "同时给出了取值和参数，只能选一个"))
        return faults
    faults.extend(_check_value(condition, attribute))
    return faults


def _check_year(year: int | None, attribute: Attribute, field: str) -> list[tuple[str, str]]:
    if attribute.kind is AttributeKind.YEARLY:
        if year is None:
            return [(field, f"「{attribute.label}」是年度数据，需写明年度（如 Y-1）")]
        if year > 0 or year < OLDEST_YEAR_OFFSET:
            return [(field, f"年度偏移 {format_year(year)} 无效：应在 Y{OLDEST_YEAR_OFFSET} 到 Y 之间")]
    elif year is not None:
        return [(field, f"「{attribute.label}」不是年度数据，不能写年度 {format_year(year)}")]
    return []


def _check_value(condition: Condition, attribute: Attribute) -> list[tuple[str, str]]:
    value = condition.value
    if condition.op in ("prefix", "in"):
        if (
            not isinstance(value, tuple)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            return [("value", "取值应为非空的代码列表")]
        if attribute.kind is AttributeKind.INDUSTRY:
            bad = []
            for code in value:
                try:
                    normalise_industry(code)
                except ValueError:
                    bad.append(code)
            if bad:
                return [("value", f"不是国民经济行业分类代码：{'、'.join(bad)}")]
        if attribute.choices and condition.op == "in":
            bad = [v for v in value if v not in attribute.choices]
            if bad:
                return [("value", f"「{attribute.label}」没有取值 {'、'.join(bad)}")]
        return []
    if condition.op in ("has", "lacks"):
        if not isinstance(value, str) or not value.strip():
            return [("value", "取值应为一个标签")]
        return []
    if condition.op in attribute.operators and not is_number(value):
        return [("value", f"取值应为数字，而不是「{value}」")]
    return []


def _check_benefit(benefit: Fixed | Tiered | Percentage, catalogue: Catalogue, issue: Report) -> None:
    if isinstance(benefit, Fixed):
        if not is_number(benefit.amount) or benefit.amount < 0:
            issue("金额应为非负数", "benefit", "amount")
        return
    attribute = catalogue.get(benefit.attribute)
    if attribute is None:
        issue(f"未知属性「{benefit.attribute}」", "benefit", "attribute")
        return
    if attribute.kind not in (AttributeKind.NUMBER, AttributeKind.YEARLY):
        issue(f"「{attribute.label}」不是数值，不能作为金额基数", "benefit", "attribute")
        return
    for field, message in _check_year(benefit.year, attribute, "year"):
        issue(message, "benefit", field)
    if isinstance(benefit, Tiered):
        starts = [b.start for b in benefit.brackets]
        if not starts:
            issue("分档至少要有一档", "benefit", "brackets")
        elif any(not is_number(s) for s in starts) or any(a >= b for a, b in itertools.pairwise(starts)):
            issue("各档起点应为递增的数字", "benefit", "brackets")
        if any(not is_number(b.amount) or b.amount < 0 for b in benefit.brackets):
            issue("各档金额应为非负数", "benefit", "brackets")
    else:
        if not is_number(benefit.rate) or not 0 < benefit.rate <= 100:
            issue("比例应在 0 到 100（%）之间", "benefit", "rate")
        if benefit.cap is not None and (not is_number(benefit.cap) or benefit.cap < 0):
            issue("封顶金额应为非负数", "benefit", "cap")
        if benefit.unit != attribute.unit:
            issue(
                f"金额单位「{benefit.unit}」与基数「{attribute.label}」的单位「{attribute.unit}」不符",
                "benefit",
                "unit",
            )


@dataclass
class _Range:
    low: float = -math.inf
    low_strict: bool = False
    low_path: str = ""
    high: float = math.inf
    high_strict: bool = False
    high_path: str = ""


def _conjuncts(node: AllOf, path: str) -> Iterable[tuple[str, Node]]:
    """The conditions an `all` requires together, looking through nested `all`s."""
    for i, child in enumerate(node.children, start=1):
        child_path = f"{path}.{i}"
        if isinstance(child, AllOf):
            yield from _conjuncts(child, child_path)
        else:
            yield child_path, child


def contradictions(node: AllOf, path: str, catalogue: Catalogue) -> list[tuple[str, list[str]]]:
    """(message, [paths]) for each set of conditions of one `all` that no subject can meet
    together. Only conditions with literal values are compared (a parameter changes by date)."""
    found: list[tuple[str, list[str]]] = []
    ranges: dict[tuple[str, int | None], _Range] = defaultdict(_Range)
    equals: dict[tuple[str, int | None], list[tuple[float, str]]] = defaultdict(list)
    sets: dict[str, list[tuple[set[str], str]]] = defaultdict(list)
    prefixes: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    tags: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for child_path, child in _conjuncts(node, path):
        if not isinstance(child, Condition) or child.parameter is not None:
            continue
        key = (child.attribute, child.year)
        if child.op in (">=", ">") and is_number(child.value):
            r = ranges[key]
            strict = child.op == ">"
            if child.value > r.low or (child.value == r.low and strict):
                r.low, r.low_strict, r.low_path = float(child.value), strict, child_path
        elif child.op in ("<=", "<") and is_number(child.value):
            r = ranges[key]
            strict = child.op == "<"
            if child.value < r.high or (child.value == r.high and strict):
                r.high, r.high_strict, r.high_path = float(child.value), strict, child_path
        elif child.op == "==" and is_number(child.value):
            equals[key].append((float(child.value), child_path))
        elif child.op == "in" and isinstance(child.value, tuple):
            sets[child.attribute].append((set(child.value), child_path))
        elif child.op == "prefix" and isinstance(child.value, tuple):
            attribute = catalogue.get(child.attribute)
            try:
                codes = tuple(
                    normalise_industry(v) if attribute and attribute.kind is AttributeKind.INDUSTRY else v
                    for v in child.value
                )
            except ValueError:
                continue  # reported as a bad value
            prefixes[child.attribute].append((codes, child_path))
        elif child.op in ("has", "lacks") and isinstance(child.value, str):
            tags[(child.attribute, child.value)][child.op] = child_path
    for key, r in ranges.items():
        if r.low > r.high or (r.low == r.high and (r.low_strict or r.high_strict)):
            found.append(
                (
                    f"条件 {r.low_path} 与 {r.high_path} 相互矛盾：没有企业能同时满足",
                    [r.low_path, r.high_path],
                )
            )
            continue
        for value, eq_path in equals.get(key, []):
            if (
                value < r.low
                or value > r.high
                or (value == r.low and r.low_strict)
                or (value == r.high and r.high_strict)
            ):
                other = r.low_path if (value < r.low or (value == r.low and r.low_strict)) else r.high_path
                found.append((f"条件 {eq_path} 与 {other} 相互矛盾：没有企业能同时满足", [eq_path, other]))
    for items in equals.values():
        if len({v for v, _ in items}) > 1:
            found.append((f"条件 {items[0][1]} 与 {items[1][1]} 要求不同的取值", [items[0][1], items[1][1]]))
    for members in sets.values():
        common: set[str] = set.intersection(*(s for s, _ in members))
        if not common:
            found.append(
                (f"条件 {members[0][1]} 与 {members[-1][1]} 的取值没有交集", [members[0][1], members[-1][1]])
            )
    for prefix_items in prefixes.values():
        for (first, first_path), (second, second_path) in itertools.pairwise(prefix_items):
            if not any(a.startswith(b) or b.startswith(a) for a in first for b in second):
                found.append(
                    (f"条件 {first_path} 与 {second_path} 的代码范围不相交", [first_path, second_path])
                )
    for ops in tags.values():
        if "has" in ops and "lacks" in ops:
            found.append((f"条件 {ops['has']} 与 {ops['lacks']} 相互矛盾", [ops["has"], ops["lacks"]]))
    return found
