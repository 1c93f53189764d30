"""The engine against a naive evaluator written here (recursive, one subject and one rule at a
time, Kleene logic) on random rules and subjects, unknowns and `not` included."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianqi.rules import (
    ENTERPRISE_CATALOGUE,
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
    Verdict,
    build_table,
    explain,
)

T, U, F = "T", "U", "F"
PARAMETERS = Parameters(
    [
        Parameter(
            "threshold",
            "营收门槛",
            "万元",
            (ParameterValue(dt.date(2024, 1, 1), 1000.0), ParameterValue(dt.date(2026, 1, 1), 2000.0)),
        )
    ]
)
# The test's own reading of industry codes: division → section for the codes used here.
SECTION = {"38": "C", "39": "C", "26": "C", "01": "A"}
KINDS = ["above_size", "below_size", "shop", "project", "individual"]
TAGS = ["a", "b", "c", "d"]
NUMBERS = [0, 10, 50, 100]
FIGURES = [0.0, 1000.0, 2000.0, 3000.0]


def full_industry(code: str) -> str:
    if code[0].isalpha():
        return code
    return SECTION[code[:2]] + code


leaf_conditions = st.one_of(
    st.builds(
        lambda v: Condition("jurisdiction", "prefix", tuple(v)),
        st.lists(st.sampled_from(["4313", "431302", "431302001", "431321", "4303"]), min_size=1, max_size=2),
    ),
    st.builds(
        lambda v: Condition("industry", "prefix", tuple(v)),
        st.lists(st.sampled_from(["C", "38", "C381", "26", "A", "01", "C3911"]), min_size=1, max_size=2),
    ),
    st.builds(
        lambda v: Condition("kind", "in", tuple(v)), st.lists(st.sampled_from(KINDS), min_size=1, max_size=3)
    ),
    st.builds(
        lambda op, tag: Condition("tags", op, tag), st.sampled_from(["has", "lacks"]), st.sampled_from(TAGS)
    ),
    st.builds(
        lambda op, v: Condition("employees", op, v),
        st.sampled_from([">=", ">", "<=", "<", "==", "!="]),
        st.sampled_from(NUMBERS),
    ),
    st.builds(
        lambda op, v, year: Condition("revenue", op, v, year=year),
        st.sampled_from([">=", ">", "<=", "<"]),
        st.sampled_from(FIGURES),
        st.sampled_from([0, -1, -2]),
    ),
    st.builds(
        lambda op, year: Condition("revenue", op, parameter="threshold", year=year),
        st.sampled_from([">=", "<"]),
        st.sampled_from([0, -1]),
    ),
    st.builds(lambda op, v: Condition("founded_on", op, v), st.sampled_from([">=", "<"]), st.integers(0, 4)),
    st.just(Declaration("无重大安全事故")),
)

trees = st.recursive(
    leaf_conditions,
    lambda inner: st.one_of(
        st.builds(lambda c: AllOf(tuple(c)), st.lists(inner, min_size=1, max_size=4)),
        st.builds(lambda c: AnyOf(tuple(c)), st.lists(inner, min_size=1, max_size=4)),
        st.builds(Not, inner),
    ),
    max_leaves=8,
)

subjects = st.fixed_dictionaries(
    {},
    optional={
        "jurisdiction": st.sampled_from(["431302001", "431302002", "431321005", "430302001"]),
        "industry": st.sampled_from(["3811", "C3812", "2611", "0111", "3911"]),
        "kind": st.sampled_from(KINDS),
        "tags": st.one_of(st.none(), st.sets(st.sampled_from(TAGS[:3]))),
        "employees": st.one_of(st.none(), st.sampled_from(NUMBERS)),
        "revenue": st.dictionaries(st.sampled_from([2023, 2024, 2025]), st.sampled_from(FIGURES)),
        "founded_on": st.sampled_from([dt.date(2021, 6, 1), dt.date(2023, 1, 15), dt.date(2024, 12, 31)]),
    },
)
dates = st.sampled_from([dt.date(2025, 6, 1), dt.date(2026, 3, 1), dt.date(2025, 1, 15)])


def naive_condition(node: Condition | Declaration, subject: dict[str, Any], as_of: dt.date) -> str:
    if isinstance(node, Declaration):
        return U
    target = node.value
    if node.parameter is not None:
        target = 2000.0 if as_of >= dt.date(2026, 1, 1) else 1000.0
    name = node.attribute
    value = subject.get(name)
    if name == "revenue":
        value = (value or {}).get(as_of.year + (node.year or 0))
    elif name == "founded_on" and value is not None:
        value = as_of.year - value.year - ((as_of.month, as_of.day) < (value.month, value.day))
    elif name == "industry" and value is not None:
        value = full_industry(value)
    if value is None:
        return U
    if node.op == "prefix":
        prefixes = [full_industry(p) for p in target] if name == "industry" else list(target)
        result = any(value.startswith(p) for p in prefixes)
    elif node.op == "in":
        result = value in target
    elif node.op == "has":
        result = target in value
    elif node.op == "lacks":
        result = target not in value
    else:
        result = {
            ">=": value >= target,
            ">": value > target,
            "<=": value <= target,
            "<": value < target,
            "==": value == target,
            "!=": value != target,
        }[node.op]
    return T if result else F


def naive(
    node: Any, subject: dict[str, Any], as_of: dt.date, forced: dict[str, str] | None = None, path: str = "1"
) -> str:
    forced = forced or {}
    if isinstance(node, AllOf | AnyOf):
        values = [naive(c, subject, as_of, forced, f"{path}.{i}") for i, c in enumerate(node.children, 1)]
        if isinstance(node, AllOf):
            return F if F in values else (T if all(v == T for v in values) else U)
        return T if T in values else (F if all(v == F for v in values) else U)
    if isinstance(node, Not):
        return {T: F, F: T, U: U}[naive(node.child, subject, as_of, forced, f"{path}.1")]
    if path in forced:
        return forced[path]
    return naive_condition(node, subject, as_of)


def leaves(node: Any, path: str = "1", negated: bool = False) -> list[tuple[str, Any, bool]]:
    if isinstance(node, AllOf | AnyOf):
        return [item for i, c in enumerate(node.children, 1) for item in leaves(c, f"{path}.{i}", negated)]
    if isinstance(node, Not):
        return leaves(node.child, f"{path}.1", not negated)
    return [(path, node, negated)]


def naive_near_misses(rules: list[Rule], subject: dict[str, Any], as_of: dt.date) -> set[tuple[str, str]]:
    """(rule, leaf path) where making that one failing leaf pass would make the rule hold."""
    found = set()
    for rule in rules:
        if naive(rule.eligibility, subject, as_of) == T:
            continue
        for path, leaf, negated in leaves(rule.eligibility):
            value = naive_condition(leaf, subject, as_of)
            failing, passing = (T, F) if negated else (F, T)
            if value == failing and naive(rule.eligibility, subject, as_of, {path: passing}) == T:
                found.add((rule.code, path))
    return found


LETTER = {Verdict.ELIGIBLE: T, Verdict.INELIGIBLE: F, Verdict.UNKNOWN: U}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(
    rule_trees=st.lists(trees, min_size=1, max_size=6),
    records=st.lists(subjects, min_size=1, max_size=70),
    as_of=dates,
    replacement=subjects,
)
def test_engine_agrees_with_naive_evaluator(rule_trees, records, as_of, replacement):
    rules = [Rule(f"R{i}", f"规则{i}", tree) for i, tree in enumerate(rule_trees)]
    table = build_table(records, ENTERPRISE_CATALOGUE)
    # One word per block: several blocks (on two threads) whenever there are more than 64 subjects.
    engine = Engine.compile(
        rules, table, as_of=as_of, parameters=PARAMETERS, validate=False, workers=2, block_words=1
    )
    matching = engine.match()
    for row, record in enumerate(records):
        expected = [naive(rule.eligibility, record, as_of) for rule in rules]
        assert [LETTER[matching.verdict(r, row)] for r in range(len(rules))] == expected
        assert [LETTER[Verdict(v)] for v in _verdicts(engine.match_one(record).values)] == expected
        assert [LETTER[Verdict(v)] for v in _verdicts(engine.match_one(row).values)] == expected
        assert [
            LETTER[explain(rule, record, as_of=as_of, parameters=PARAMETERS).verdict] for rule in rules
        ] == expected
    for r, rule in enumerate(rules):
        sets = matching.sets(r)
        eligible = {row for row, rec in enumerate(records) if naive(rule.eligibility, rec, as_of) == T}
        assert sets[Verdict.ELIGIBLE] == eligible
        assert matching.counts()[r].sum() == len(records)

    # The enterprise in the middle changes: the kept matching follows.
    row = len(records) // 2
    records[row] = replacement
    engine.update_subject(row, replacement)
    for r, rule in enumerate(rules):
        for i, record in enumerate(records):
            assert LETTER[matching.verdict(r, i)] == naive(rule.eligibility, record, as_of)

    subject = records[0]
    found = {(m.rule, m.path) for m in engine.near_misses(subject)}
    assert found == naive_near_misses(rules, subject, as_of)
    assert {(m.rule, m.path) for m in engine.near_misses(0)} == found


def _verdicts(values: np.ndarray) -> list[str]:
    return [{2: "eligible", 0: "ineligible", 1: "unknown"}[int(v)] for v in values]
