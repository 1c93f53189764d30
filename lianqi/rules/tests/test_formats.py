"""Rule files: JSON, YAML and spreadsheet round trips, the JSON Schema, embedded test cases,
and the package's independence from Django."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lianqi.rules import (
    ENTERPRISE_CATALOGUE,
    Bracket,
    Fixed,
    Parameter,
    Parameters,
    ParameterValue,
    Percentage,
    Rule,
    RuleSet,
    TestCase,
    Tiered,
    Verdict,
    dump_json,
    dump_yaml,
    formats,
    load_json,
    load_rules,
    load_yaml,
    read_xlsx,
    rules_to_data,
    run_test_cases,
    validate_ruleset,
    write_xlsx,
    yaml_available,
)

from .test_engine_random import PARAMETERS, trees

PACKAGE = Path(__file__).resolve().parent.parent
EXAMPLES = PACKAGE / "examples" / "policies.json"
SCHEMA = json.loads((PACKAGE / "schema" / "rule.schema.json").read_text(encoding="utf-8"))

benefits = st.one_of(
    st.none(),
    st.builds(Fixed, st.sampled_from([1.0, 20.0, 2.5])),
    st.builds(
        lambda year: Tiered("revenue", (Bracket(1000, 5), Bracket(5000, 12.5)), year=year),
        st.sampled_from([-1, -2]),
    ),
    st.builds(lambda cap: Percentage("local_purchase", 3, cap=cap, year=-1), st.sampled_from([None, 50.0])),
)
cases = st.builds(
    TestCase,
    name=st.sampled_from(["甲", "乙"]),
    subject=st.just(
        {"jurisdiction": "431302001", "tags": ["a"], "revenue": {"2024": 2000}, "founded_on": "2020-01-01"}
    ),
    as_of=st.sampled_from([dt.date(2025, 6, 1), dt.date(2026, 2, 1)]),
    verdict=st.sampled_from(list(Verdict)),
    amount=st.sampled_from([None, 10.0]),
    check_amount=st.booleans(),
)
rules = st.lists(
    st.builds(
        lambda i, tree, benefit, tests: Rule(f"R{i}", f"规则 {i}", tree, benefit, tuple(tests)),
        st.integers(0, 10**6),
        trees,
        benefits,
        st.lists(cases, max_size=2),
    ),
    max_size=4,
    unique_by=lambda rule: rule.code,
)


def sound(rule_list: list[Rule]) -> RuleSet:
    """The generated rules as a file, when they would be accepted (no contradictions)."""
    ruleset = RuleSet(tuple(normalised(r) for r in rule_list), PARAMETERS)
    assume(not validate_ruleset(ruleset, ENTERPRISE_CATALOGUE))
    return ruleset


def normalised(rule: Rule) -> Rule:
    # An unchecked amount is not written out: compare with it cleared.
    tests = tuple(c if c.check_amount else dataclasses.replace(c, amount=None) for c in rule.tests)
    return dataclasses.replace(rule, tests=tests)


ROUND_TRIP = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


@ROUND_TRIP
@given(rules)
def test_json_round_trip(rule_list):
    ruleset = sound(rule_list)
    text = dump_json(ruleset)
    jsonschema.validate(json.loads(text), SCHEMA)
    assert load_json(text) == ruleset


@ROUND_TRIP
@given(rules)
def test_spreadsheet_round_trip(rule_list):
    ruleset = sound(rule_list)
    assert read_xlsx(write_xlsx(ruleset)) == ruleset


@pytest.mark.skipif(not yaml_available(), reason="PyYAML is not installed")
@ROUND_TRIP
@given(rules)
def test_yaml_round_trip(rule_list):
    ruleset = sound(rule_list)
    assert load_yaml(dump_yaml(ruleset)) == ruleset


def test_example_file_fits_the_schema_and_reads_the_same_in_every_format(tmp_path):
    ruleset = load_rules(EXAMPLES)
    jsonschema.validate(json.loads(EXAMPLES.read_text(encoding="utf-8")), SCHEMA)
    assert len(ruleset) == 3
    (tmp_path / "rules.xlsx").write_bytes(write_xlsx(ruleset))
    assert load_rules(tmp_path / "rules.xlsx") == ruleset
    if yaml_available():
        (tmp_path / "rules.yaml").write_text(dump_yaml(ruleset), encoding="utf-8")
        assert load_rules(tmp_path / "rules.yaml") == ruleset


def test_spreadsheet_has_one_row_per_node_with_its_path_and_sentence():
    from io import BytesIO

    from openpyxl import load_workbook

    ruleset = load_rules(EXAMPLES)
    book = load_workbook(BytesIO(write_xlsx(ruleset)))
    assert book.sheetnames == ["规则", "条件", "参数", "测试"]
    rows = [[c.value for c in row] for row in book["条件"].iter_rows(min_row=2)]
    first = [row for row in rows if row[0] == "LD-2025-001"]
    assert [row[1] for row in first] == ["1", "1.1", "1.2", "1.3", "1.4", "1.5", "1.5.1", "1.6"]
    assert first[0][2] == "全部满足" and first[5][2] == "不满足" and first[7][2] == "自主申报"
    assert first[3][9] == "上年度营业收入 ≥ 参数「规上企业营收门槛」"
    parameters = [[c.value for c in row] for row in book["参数"].iter_rows(min_row=2)]
    assert [p[3] for p in parameters] == ["2024-01-01", "2026-01-01"]


def test_embedded_test_cases_pass():
    ruleset = load_rules(EXAMPLES)
    for rule in ruleset:
        assert run_test_cases(rule, parameters=ruleset.parameters) == []


def test_embedded_test_cases_report_failures():
    ruleset = load_rules(EXAMPLES)
    rule = ruleset.by_code()["SS-2024-003"]
    wrong = dataclasses.replace(
        rule,
        tests=(
            dataclasses.replace(rule.tests[0], verdict=Verdict.INELIGIBLE),  # is eligible
            dataclasses.replace(rule.tests[1], amount=120.0),  # capped at 50
            dataclasses.replace(rule.tests[2], verdict=Verdict.INELIGIBLE),  # missing data: unknown, never no
            rule.tests[0],
        ),
    )
    failures = run_test_cases(wrong, parameters=ruleset.parameters)
    assert [(f.case, f.expected_verdict, f.actual_verdict) for f in failures] == [
        ("采购 100 万元奖 3 万元", Verdict.INELIGIBLE, Verdict.ELIGIBLE),
        ("奖励封顶 50 万元", Verdict.ELIGIBLE, Verdict.ELIGIBLE),
        ("无采购数据则待定", Verdict.INELIGIBLE, Verdict.UNKNOWN),
    ]
    assert failures[1].actual_amount == 50
    assert "应为不符合，实为待定" in str(failures[2])


def test_parameter_dates_decide_the_embedded_cases():
    ruleset = load_rules(EXAMPLES)
    rule = ruleset.by_code()["LD-2025-001"]
    lower = Parameters(
        [Parameter("above_size_revenue", "门槛", "万元", (ParameterValue(dt.date(2024, 1, 1), 2000),))]
    )
    # Without the 2026 raise, the third case (2,300 万元 in 2025) is no longer ineligible.
    assert [f.case for f in run_test_cases(rule, parameters=lower)] == ["2026 年门槛升至 3000 万元"]


def test_rules_data_keeps_meta():
    ruleset = load_rules(EXAMPLES)
    data = rules_to_data(ruleset)
    data["rules"][0]["meta"] = {"policy": 17, "department": "工信局"}
    assert load_json(json.dumps(data)).rules[0].meta == {"policy": 17, "department": "工信局"}


def test_the_package_imports_no_django():
    code = "import sys, lianqi.rules; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_stored_condition_reads_the_same_whatever_order_the_database_kept_its_keys() -> None:
    """PostgreSQL's jsonb hands keys back sorted by length; the text an editor shows is the
    format's own order, so a park's rule reads the same on either database."""
    as_jsonb_returns = {"op": "in", "value": ["A"], "attribute": "credit_class"}
    assert (
        formats.condition_json(as_jsonb_returns)
        == '{"attribute": "credit_class", "op": "in", "value": ["A"]}'
    )
    nested = {"all": [{"op": ">=", "unit": "万元", "value": 500, "attribute": "revenue"}]}
    assert formats.condition_json(nested) == (
        '{"all": [{"attribute": "revenue", "op": ">=", "value": 500, "unit": "万元"}]}'
    )
