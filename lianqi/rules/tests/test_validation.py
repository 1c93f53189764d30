"""Rules are checked on load: each fault is refused with the condition's path, and a file with
faults is refused whole, listing every fault with its line (JSON / YAML) or row (spreadsheet)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from lianqi.rules import (
    ENTERPRISE_CATALOGUE,
    AllOf,
    Condition,
    Engine,
    Parameters,
    Rule,
    RuleError,
    build_table,
    dump_json,
    load_json,
    load_yaml,
    read_xlsx,
    rules_from_data,
    validate_rule,
    write_xlsx,
    yaml_available,
)

GOOD: dict[str, Any] = {
    "code": "R1",
    "name": "测试",
    "eligibility": {
        "all": [
            {"attribute": "jurisdiction", "op": "prefix", "value": ["4313"]},
            {
                "any": [
                    {"attribute": "revenue", "year": "Y-1", "op": ">=", "value": 2000},
                    {"attribute": "employees", "op": ">=", "value": 50},
                ]
            },
        ]
    },
}


def faults_of(condition):
    rule = copy.deepcopy(GOOD)
    rule["eligibility"]["all"][1]["any"][1] = condition
    with pytest.raises(RuleError) as caught:
        rules_from_data({"rules": [rule]})
    return [(issue.path, issue.field, issue.message) for issue in caught.value.issues]


@pytest.mark.parametrize(
    ("condition", "field", "words"),
    [
        ({"attribute": "turnover", "op": ">=", "value": 1}, "attribute", "未知属性「turnover」"),
        (
            {"attribute": "revenue", "year": "Y-1", "op": ">=", "value": 2000, "unit": "元"},
            "unit",
            "单位「元」",
        ),
        ({"attribute": "revenue", "year": "Y-1", "op": "=>", "value": 2000}, "op", "未知运算符「=>」"),
        ({"attribute": "revenue", "year": "Y+1", "op": ">=", "value": 2000}, "year", "年度偏移 Y+1 无效"),
        ({"attribute": "revenue", "year": "Y-11", "op": ">=", "value": 2000}, "year", "年度偏移 Y-11 无效"),
        (
            {"attribute": "revenue", "year": "last year", "op": ">=", "value": 2000},
            "year",
            "年度偏移「last year」无效",
        ),
        ({"attribute": "revenue", "op": ">=", "value": 2000}, "year", "需写明年度"),
        ({"attribute": "employees", "year": "Y-1", "op": ">=", "value": 5}, "year", "不是年度数据"),
        ({"attribute": "employees", "op": ">=", "parameter": "nope"}, "parameter", "未知参数「nope」"),
        ({"attribute": "kind", "op": "in", "value": ["factory"]}, "value", "没有取值 factory"),
        ({"attribute": "industry", "op": "prefix", "value": ["Z9"]}, "value", "不是国民经济行业分类代码"),
        ({"attribute": "employees", "op": ">=", "value": "many"}, "value", "取值应为数字"),
        ({"any": []}, "any", "至少要有一个条件"),
    ],
)
def test_each_fault_names_the_condition_path(condition, field, words):
    faults = faults_of(condition)
    path = "1.2.2"
    assert any(p == path and f == field and words in m for p, f, m in faults), faults


def test_contradictory_range_within_one_all_is_refused():
    rule = Rule(
        "C",
        "矛盾",
        AllOf(
            (
                Condition("kind", "in", ("above_size",)),
                Condition("revenue", ">=", 5000, year=-1),
                AllOf((Condition("revenue", "<", 1000, year=-1),)),
            )
        ),
    )
    issues = validate_rule(rule, ENTERPRISE_CATALOGUE, Parameters())
    assert len(issues) == 1
    assert "1.2" in issues[0].message and "1.3.1" in issues[0].message and "矛盾" in issues[0].message
    # Different years are no contradiction; nor is an `any`.
    fine = Rule(
        "F",
        "不同年度",
        AllOf((Condition("revenue", ">=", 5000, year=-1), Condition("revenue", "<", 1000, year=-2))),
    )
    assert validate_rule(fine, ENTERPRISE_CATALOGUE, Parameters()) == []


@pytest.mark.parametrize(
    "pair",
    [
        (
            {"attribute": "tags", "op": "has", "value": "专精特新"},
            {"attribute": "tags", "op": "lacks", "value": "专精特新"},
        ),
        (
            {"attribute": "kind", "op": "in", "value": ["shop"]},
            {"attribute": "kind", "op": "in", "value": ["project"]},
        ),
        (
            {"attribute": "industry", "op": "prefix", "value": ["38"]},
            {"attribute": "industry", "op": "prefix", "value": ["C39"]},
        ),
        (
            {"attribute": "employees", "op": "==", "value": 5},
            {"attribute": "employees", "op": ">", "value": 5},
        ),
    ],
)
def test_other_contradictions_are_refused(pair):
    with pytest.raises(RuleError, match=r"1\.1"):
        rules_from_data({"rules": [{"code": "X", "eligibility": {"all": list(pair)}}]})


def test_engine_refuses_invalid_rules_built_in_code():
    rule = Rule("B", "坏", AllOf((Condition("revenue", ">=", 1, year=3),)))
    with pytest.raises(RuleError, match=r"位置 1\.1"):
        Engine.compile([rule], build_table([], ENTERPRISE_CATALOGUE), as_of=dt.date(2025, 1, 1))


BAD_FILE = {
    "version": 1,
    "rules": [
        GOOD,
        {
            "code": "R2",
            "eligibility": {
                "all": [
                    {"attribute": "revenue", "year": "Y-1", "op": ">=", "value": 2000, "unit": "元"},
                    {"attribute": "turnover", "op": ">=", "value": 1},
                ]
            },
        },
        {"code": "R3", "eligibility": {"any": [{"attribute": "tags", "op": "contains", "value": "a"}]}},
        {"code": "R1", "eligibility": {"attribute": "employees", "op": ">=", "value": 1}},
    ],
}


def test_a_json_file_with_faults_is_refused_whole_with_lines():
    text = json.dumps(BAD_FILE, ensure_ascii=False, indent=2)
    with pytest.raises(RuleError) as caught:
        load_json(text)
    issues = {(i.rule, i.path, i.field): i for i in caught.value.issues}
    assert set(issues) == {(2, "1.1", "unit"), (2, "1.2", "attribute"), (3, "1.1", "op"), (4, "", "code")}
    lines = dict(enumerate(text.splitlines(), start=1))
    assert '"unit": "元"' in lines[issues[(2, "1.1", "unit")].line or 0]
    assert '"turnover"' in lines[issues[(2, "1.2", "attribute")].line or 0]
    assert '"contains"' in lines[issues[(3, "1.1", "op")].line or 0]
    assert "第 2 条规则（R2）" in str(caught.value) and "位置 1.1" in str(caught.value)


@pytest.mark.skipif(not yaml_available(), reason="PyYAML is not installed")
def test_a_yaml_file_with_faults_is_refused_whole_with_lines():
    text = """
version: 1
rules:
  - code: A
    eligibility:
      all:
        - {attribute: revenue, year: Y-1, op: '>=', value: 5000}
        - {attribute: revenue, year: Y-1, op: '<', value: 1000}
  - code: B
    eligibility:
      not:
        any: []
"""
    with pytest.raises(RuleError) as caught:
        load_yaml(text)
    found = {(i.rule, i.path, i.line) for i in caught.value.issues}
    assert found == {(1, "1.1", 7), (2, "1.1", 12)}


def test_a_spreadsheet_with_faults_names_sheet_row_and_column():
    good = rules_from_data({"rules": [GOOD, {**GOOD, "code": "R2"}]})
    workbook = write_xlsx(good)
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(workbook))
    nodes = book["条件"]
    header = [c.value for c in nodes[1]]
    rows = {(r[0].value, r[1].value): r for r in nodes.iter_rows(min_row=2)}
    # Rows 2-6 hold R1's five nodes, rows 7-11 R2's: 1, 1.1, 1.2, 1.2.1, 1.2.2.
    rows[("R2", "1.2.1")][header.index("单位")].value = "元"  # row 10
    rows[("R2", "1.1")][header.index("属性")].value = "turnover"  # row 8
    nodes.append(["R2", "1.4", "条件", "employees", None, ">=", 1])  # row 12: there is no 1.3
    buffer = BytesIO()
    book.save(buffer)
    with pytest.raises(RuleError) as caught:
        read_xlsx(buffer.getvalue())
    found = {(i.sheet, i.line, i.field) for i in caught.value.issues}
    assert ("条件", 10, "单位") in found
    assert ("条件", 8, "属性") in found
    assert ("条件", 7, "路径") in found  # the `all` at row 7 has children 1, 2, 4
    assert all(i.rule == 2 and i.code == "R2" for i in caught.value.issues)


def test_a_path_typed_as_a_number_is_refused():
    data = write_xlsx(rules_from_data({"rules": [GOOD]}))
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(data))
    book["条件"]["B3"].value = 1.1
    buffer = BytesIO()
    book.save(buffer)
    with pytest.raises(RuleError, match="文本格式"):
        read_xlsx(buffer.getvalue())


def test_a_sound_file_loads():
    ruleset = rules_from_data({"rules": [GOOD]})
    assert load_json(dump_json(ruleset)) == ruleset
