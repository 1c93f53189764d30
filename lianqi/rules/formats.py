"""Reading and writing rule files: JSON, YAML (when PyYAML is installed) and spreadsheets.

All three carry the same content (see docs/rules.md and schema/rule.schema.json). A file is
accepted whole or refused whole: every fault found is listed with the rule, the node's tree
path, the field and, where the format allows, the line (JSON / YAML) or sheet and row
(spreadsheet)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from .catalogue import ENTERPRISE_CATALOGUE, Catalogue
from .errors import Issue, RuleError
from .model import (
    AllOf,
    AnyOf,
    Benefit,
    Bracket,
    Condition,
    Declaration,
    Fixed,
    Node,
    Not,
    Parameter,
    Parameters,
    ParameterValue,
    Percentage,
    Rule,
    RuleSet,
    TestCase,
    Tiered,
    Verdict,
    format_year,
)
from .validation import validate_ruleset

try:  # PyYAML is optional: JSON and spreadsheets work without it
    import yaml
except ImportError:  # pragma: no cover - exercised only where PyYAML is absent
    yaml = None  # type: ignore[assignment]

FORMAT_VERSION = 1
Pointer = tuple[str | int, ...]
CONDITION_KEYS = ("attribute", "year", "op", "value", "parameter", "unit")
GROUP_KEYS = ("all", "any", "not", "declare")
RULE_KEYS = ("code", "name", "eligibility", "benefit", "tests", "meta")
BENEFIT_KEYS = {
    "fixed": ("type", "amount", "unit"),
    "tiered": ("type", "attribute", "year", "brackets", "unit"),
    "percentage": ("type", "attribute", "year", "rate", "cap", "unit"),
}
VERDICT_WORDS = {
    "eligible": Verdict.ELIGIBLE,
    "符合": Verdict.ELIGIBLE,
    "ineligible": Verdict.INELIGIBLE,
    "不符合": Verdict.INELIGIBLE,
    "unknown": Verdict.UNKNOWN,
    "待定": Verdict.UNKNOWN,
}
_YEAR = re.compile(r"^Y(?:\s*([+-])\s*(\d+))?$")


def parse_year(value: Any) -> int | None:
    """'Y' → 0, 'Y-1' → -1 (also the integer -1); raises ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _YEAR.match(str(value).strip().upper())
    if not match:
        raise ValueError(value)
    if match.group(1) is None:
        return 0
    offset = int(match.group(2))
    return -offset if match.group(1) == "-" else offset


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


class _Parser:
    """Plain data (as from JSON) → RuleSet, collecting every fault with its pointer (the keys
    leading to it), so that each format can turn pointers into lines or rows."""

    def __init__(self) -> None:
        self.faults: list[tuple[Issue, Pointer]] = []
        self.pointers: dict[tuple[int | None, str], Pointer] = {}

    def fault(
        self,
        message: str,
        pointer: Pointer,
        *,
        rule: int | None = None,
        code: str = "",
        path: str = "",
        field: str = "",
    ) -> None:
        self.faults.append((Issue(message, rule=rule, code=code, path=path, field=field), pointer))

    def parse(self, data: Any) -> tuple[list[tuple[int, Rule]], Parameters, bool]:
        """(well-formed rules with their position, parameters, whether the whole file is)."""
        if not isinstance(data, Mapping):
            self.fault("规则文件应为一个对象（含 rules 列表）", ())
            return [], Parameters(), False
        for key in data:
            if key not in ("version", "parameters", "rules"):
                self.fault(f"未知字段「{key}」", (key,), field=str(key))
        if data.get("version", FORMAT_VERSION) != FORMAT_VERSION:
            self.fault(f"不支持的格式版本 {data.get('version')}", ("version",), field="version")
        parameters = self.parameters(data.get("parameters") or [])
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list):
            self.fault("缺少 rules 列表", ("rules",), field="rules")
            return [], parameters, False
        rules: list[tuple[int, Rule]] = []
        for index, raw in enumerate(raw_rules, start=1):
            rule = self.rule(raw, index)
            if rule is not None:
                rules.append((index, rule))
        return rules, parameters, len(rules) == len(raw_rules) and not self.faults

    def parameters(self, raw: Any) -> Parameters:
        if not isinstance(raw, list):
            self.fault("parameters 应为列表", ("parameters",), field="parameters")
            return Parameters()
        result = []
        for i, item in enumerate(raw):
            pointer: Pointer = ("parameters", i)
            if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
                self.fault("参数需要名称 name", pointer, field="name")
                continue
            name = item["name"]
            self.pointers[(None, f"parameters.{name}")] = pointer
            values = []
            for j, value in enumerate(item.get("values") or []):
                try:
                    values.append(ParameterValue(_date(value["from"]), float(value["value"])))
                except (KeyError, TypeError, ValueError):
                    self.fault(
                        "参数取值应写明起始日期 from（YYYY-MM-DD）和数值 value",
                        (*pointer, "values", j),
                        path=f"parameters.{name}",
                        field="values",
                    )
            result.append(
                Parameter(name, str(item.get("label") or name), str(item.get("unit") or ""), tuple(values))
            )
        return Parameters(result)

    def rule(self, raw: Any, index: int) -> Rule | None:
        pointer: Pointer = ("rules", index - 1)
        self.pointers[(index, "")] = pointer
        if not isinstance(raw, Mapping):
            self.fault("规则应为一个对象", pointer, rule=index)
            return None
        code = str(raw.get("code") or "")
        before = len(self.faults)
        for key in raw:
            if key not in RULE_KEYS:
                self.fault(f"未知字段「{key}」", (*pointer, key), rule=index, code=code, field=str(key))
        if "eligibility" not in raw:
            self.fault("缺少申报条件 eligibility", pointer, rule=index, code=code, field="eligibility")
            return None
        tree = self.node(raw["eligibility"], (*pointer, "eligibility"), "1", index, code)
        benefit = None
        if raw.get("benefit") is not None:
            benefit = self.benefit(raw["benefit"], (*pointer, "benefit"), index, code)
        tests = []
        for i, case in enumerate(raw.get("tests") or [], start=1):
            parsed = self.test_case(case, (*pointer, "tests", i - 1), index, code, i)
            if parsed is not None:
                tests.append(parsed)
        meta = raw.get("meta") or {}
        if not isinstance(meta, Mapping):
            self.fault("meta 应为对象", (*pointer, "meta"), rule=index, code=code, field="meta")
        if len(self.faults) > before or tree is None:
            return None
        return Rule(code, str(raw.get("name") or ""), tree, benefit, tuple(tests), dict(meta))

    def node(self, raw: Any, pointer: Pointer, path: str, rule: int, code: str) -> Node | None:
        self.pointers[(rule, path)] = pointer

        def fault(message: str, field: str = "", at: Pointer = pointer) -> None:
            self.fault(message, at, rule=rule, code=code, path=path, field=field)

        if not isinstance(raw, Mapping):
            fault("条件应为一个对象")
            return None
        kinds = [key for key in GROUP_KEYS if key in raw]
        if len(kinds) > 1 or (kinds and "attribute" in raw):
            fault(f"一个节点只能是 all / any / not / declare / 条件之一，这里同时有 {', '.join(kinds)}")
            return None
        if kinds:
            kind = kinds[0]
            extra = [key for key in raw if key != kind]
            if extra:
                fault(f"未知字段「{extra[0]}」", str(extra[0]), (*pointer, extra[0]))
                return None
            value = raw[kind]
            if kind == "declare":
                if not isinstance(value, str):
                    fault("declare 应为申报内容的文字", "declare")
                    return None
                return Declaration(value)
            if kind == "not":
                if isinstance(value, list) and len(value) == 1:
                    value, child_pointer = value[0], (*pointer, "not", 0)
                else:
                    child_pointer = (*pointer, "not")
                child = self.node(value, child_pointer, f"{path}.1", rule, code)
                return None if child is None else Not(child)
            if not isinstance(value, list):
                fault(f"「{kind}」应为条件列表", kind)
                return None
            kids = [
                self.node(c, (*pointer, kind, i), f"{path}.{i + 1}", rule, code) for i, c in enumerate(value)
            ]
            if any(k is None for k in kids):
                return None
            nodes = tuple(k for k in kids if k is not None)
            return AllOf(nodes) if kind == "all" else AnyOf(nodes)
        for key in raw:
            if key not in CONDITION_KEYS:
                fault(f"未知字段「{key}」", str(key), (*pointer, key))
                return None
        if not isinstance(raw.get("attribute"), str) or not isinstance(raw.get("op"), str):
            fault("条件需要属性 attribute 和运算符 op", "attribute" if "attribute" not in raw else "op")
            return None
        try:
            year = parse_year(raw.get("year"))
        except ValueError:
            fault(f"年度偏移「{raw.get('year')}」无效：应写作 Y、Y-1、Y-2 …", "year", (*pointer, "year"))
            return None
        value = raw.get("value")
        if raw["op"] in ("prefix", "in") and value is not None:
            value = tuple(str(v) for v in value) if isinstance(value, list | tuple) else (str(value),)
        unit = raw.get("unit")
        return Condition(
            attribute=raw["attribute"],
            op=raw["op"],
            value=value,
            parameter=raw.get("parameter"),
            year=year,
            unit=None if unit is None else str(unit),
        )

    def benefit(self, raw: Any, pointer: Pointer, rule: int, code: str) -> Benefit | None:
        self.pointers[(rule, "benefit")] = pointer

        def fault(message: str, field: str = "") -> None:
            self.fault(
                message,
                (*pointer, field) if field else pointer,
                rule=rule,
                code=code,
                path="benefit",
                field=field,
            )

        kind = raw.get("type") if isinstance(raw, Mapping) else None
        if kind not in BENEFIT_KEYS:
            fault("金额方式 type 应为 fixed（定额）、tiered（分档）或 percentage（比例）", "type")
            return None
        assert isinstance(raw, Mapping)
        unknown = [key for key in raw if key not in BENEFIT_KEYS[kind]]
        if unknown:
            fault(f"未知字段「{unknown[0]}」", str(unknown[0]))
            return None
        unit = str(raw.get("unit") or "万元")
        try:
            if kind == "fixed":
                return Fixed(raw["amount"], unit)
            year = parse_year(raw.get("year"))
            if kind == "tiered":
                brackets = tuple(Bracket(b["from"], b["amount"]) for b in raw["brackets"])
                return Tiered(str(raw["attribute"]), brackets, year, unit)
            cap = raw.get("cap")
            return Percentage(str(raw["attribute"]), raw["rate"], cap, year, unit)
        except KeyError as missing:
            fault(f"缺少字段 {missing.args[0]}", str(missing.args[0]))
        except (TypeError, ValueError):
            fault("金额写法有误（年度应写作 Y-1，分档写作 [{from: 2000, amount: 10}, …]）")
        return None

    def test_case(self, raw: Any, pointer: Pointer, rule: int, code: str, number: int) -> TestCase | None:
        path = f"tests.{number}"
        self.pointers[(rule, path)] = pointer

        def fault(message: str, field: str) -> None:
            self.fault(message, (*pointer, field), rule=rule, code=code, path=path, field=field)

        if not isinstance(raw, Mapping):
            fault("测试用例应为一个对象", "")
            return None
        verdict = VERDICT_WORDS.get(str(raw.get("verdict", "")).strip())
        if verdict is None:
            fault("预期结论 verdict 应为 eligible / ineligible / unknown", "verdict")
        subject = raw.get("subject")
        if not isinstance(subject, Mapping):
            fault("企业数据 subject 应为对象", "subject")
        try:
            as_of = _date(raw.get("as_of"))
        except (TypeError, ValueError):
            fault("基准日 as_of 应写作 YYYY-MM-DD", "as_of")
            return None
        amount = raw.get("amount")
        if amount is not None and not isinstance(amount, int | float):
            fault("预期金额 amount 应为数字（或 null 表示无法计算）", "amount")
            return None
        if verdict is None or not isinstance(subject, Mapping):
            return None
        return TestCase(
            name=str(raw.get("name") or f"#{number}"),
            subject=dict(subject),
            as_of=as_of,
            verdict=verdict,
            amount=None if amount is None else float(amount),
            check_amount="amount" in raw,
        )

    def locate(self, issue: Issue) -> Pointer:
        pointer = self.pointers.get((issue.rule, issue.path)) or self.pointers.get((issue.rule, "")) or ()
        return (*pointer, issue.field) if issue.field else pointer


def parse_rules(
    data: Any, catalogue: Catalogue = ENTERPRISE_CATALOGUE
) -> tuple[RuleSet | None, list[tuple[Issue, Pointer]]]:
    """(rule set, or None when anything is wrong; [(issue, pointer)]). Structure is checked
    first, then every well-formed rule is validated, so one pass lists every fault."""
    parser = _Parser()
    numbered, parameters, sound = parser.parse(data)
    faults = list(parser.faults)
    ruleset = RuleSet(tuple(rule for _, rule in numbered), parameters)
    for issue in validate_ruleset(ruleset, catalogue, positions=[index for index, _ in numbered]):
        faults.append((issue, parser.locate(issue)))
    return (ruleset if sound and not faults else None), faults


def rules_from_data(data: Any, catalogue: Catalogue = ENTERPRISE_CATALOGUE) -> RuleSet:
    """A rule set from plain data (as JSON gives it); RuleError lists every fault."""
    ruleset, faults = parse_rules(data, catalogue)
    if ruleset is None:
        raise RuleError([issue for issue, _ in faults])
    return ruleset


# --- writing ----------------------------------------------------------------------------


def node_to_data(node: Node) -> dict[str, Any]:
    if isinstance(node, AllOf):
        return {"all": [node_to_data(c) for c in node.children]}
    if isinstance(node, AnyOf):
        return {"any": [node_to_data(c) for c in node.children]}
    if isinstance(node, Not):
        return {"not": node_to_data(node.child)}
    if isinstance(node, Declaration):
        return {"declare": node.text}
    data: dict[str, Any] = {"attribute": node.attribute}
    if node.year is not None:
        data["year"] = format_year(node.year)
    data["op"] = node.op
    if node.parameter is not None:
        data["parameter"] = node.parameter
    if node.value is not None:
        data["value"] = list(node.value) if isinstance(node.value, tuple) else node.value
    if node.unit is not None:
        data["unit"] = node.unit
    return data


def condition_json(data: Any) -> str:
    """A stored condition as the JSON text an editor or a spreadsheet shows, its keys in the
    format's own order (attribute, op, value …). PostgreSQL's jsonb returns keys sorted by
    length, so dumping the stored value as it comes would read differently per database."""
    node = _Parser().node(data, (), "1", 0, "")
    return json.dumps(node_to_data(node) if node is not None else data, ensure_ascii=False)


def benefit_to_data(benefit: Benefit) -> dict[str, Any]:
    if isinstance(benefit, Fixed):
        return {"type": "fixed", "amount": benefit.amount, "unit": benefit.unit}
    data: dict[str, Any] = {"type": "tiered" if isinstance(benefit, Tiered) else "percentage"}
    data["attribute"] = benefit.attribute
    if benefit.year is not None:
        data["year"] = format_year(benefit.year)
    if isinstance(benefit, Tiered):
        data["brackets"] = [{"from": b.start, "amount": b.amount} for b in benefit.brackets]
    else:
        data["rate"] = benefit.rate
        if benefit.cap is not None:
            data["cap"] = benefit.cap
    data["unit"] = benefit.unit
    return data


def plain(value: Any) -> Any:
    """JSON-ready: sets as sorted lists, dates as ISO strings, mapping keys as strings."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_case_to_data(case: TestCase) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": case.name,
        "as_of": case.as_of.isoformat(),
        "subject": plain(case.subject),
        "verdict": case.verdict.value,
    }
    if case.check_amount:
        data["amount"] = case.amount
    return data


def rules_to_data(ruleset: RuleSet) -> dict[str, Any]:
    rules = []
    for rule in ruleset.rules:
        data: dict[str, Any] = {
            "code": rule.code,
            "name": rule.name,
            "eligibility": node_to_data(rule.eligibility),
        }
        if rule.benefit is not None:
            data["benefit"] = benefit_to_data(rule.benefit)
        if rule.tests:
            data["tests"] = [test_case_to_data(case) for case in rule.tests]
        if rule.meta:
            data["meta"] = plain(rule.meta)
        rules.append(data)
    parameters = [
        {
            "name": p.name,
            "label": p.label,
            "unit": p.unit,
            "values": [{"from": v.valid_from.isoformat(), "value": v.value} for v in p.values],
        }
        for p in ruleset.parameters.values()
    ]
    return {"version": FORMAT_VERSION, "parameters": parameters, "rules": rules}


# --- JSON and YAML ----------------------------------------------------------------------


def _lines_of(text: str) -> Any:
    """A YAML node tree of the text (JSON is YAML too) to find lines by pointer; None if PyYAML
    is missing or cannot read it."""
    if yaml is None:
        return None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def _line(root: Any, pointer: Pointer) -> int | None:
    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for key in pointer:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(key)), None)
            if match is None:
                break
            line = match[0].start_mark.line + 1
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _load_text(data: Any, text: str, catalogue: Catalogue) -> RuleSet:
    ruleset, faults = parse_rules(data, catalogue)
    if ruleset is None:
        root = _lines_of(text)
        raise RuleError([issue.located(line=_line(root, pointer)) for issue, pointer in faults])
    return ruleset


def load_json(text: str, catalogue: Catalogue = ENTERPRISE_CATALOGUE) -> RuleSet:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RuleError([Issue(f"不是有效的 JSON：{error.msg}", line=error.lineno)]) from error
    return _load_text(data, text, catalogue)


def dump_json(ruleset: RuleSet) -> str:
    return json.dumps(rules_to_data(ruleset), ensure_ascii=False, indent=2) + "\n"


def yaml_available() -> bool:
    return yaml is not None


def load_yaml(text: str, catalogue: Catalogue = ENTERPRISE_CATALOGUE) -> RuleSet:
    if yaml is None:
        raise RuntimeError("PyYAML is not installed: use JSON or a spreadsheet")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise RuleError([Issue(f"不是有效的 YAML：{error}", line=mark.line + 1 if mark else None)]) from error
    return _load_text(data, text, catalogue)


def dump_yaml(ruleset: RuleSet) -> str:
    """YAML with each condition on one line ({attribute: revenue, year: Y-1, op: '>=', …})."""
    if yaml is None:
        raise RuntimeError("PyYAML is not installed: use JSON or a spreadsheet")

    class Flow(dict):  # type: ignore[type-arg]
        pass

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(
        Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
    )

    def flow(value: Any) -> Any:
        if isinstance(value, dict):
            inner = {k: flow(v) for k, v in value.items()}
            leaf = "attribute" in value or "from" in value or "declare" in value
            return Flow(inner) if leaf else inner
        if isinstance(value, list):
            return [flow(v) for v in value]
        return value

    data = rules_to_data(ruleset)
    for rule in data["rules"]:
        rule["eligibility"] = flow(rule["eligibility"])
        if "benefit" in rule:
            rule["benefit"] = flow(rule["benefit"])
    for parameter in data["parameters"]:
        parameter["values"] = flow(parameter["values"])
    return str(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120))


def load_rules(path: str | Path, catalogue: Catalogue = ENTERPRISE_CATALOGUE) -> RuleSet:
    """A rule file by its extension: .json, .yaml / .yml, .xlsx."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path, catalogue)
    text = path.read_text(encoding="utf-8")
    if suffix in (".yaml", ".yml"):
        return load_yaml(text, catalogue)
    return load_json(text, catalogue)


# --- spreadsheets ----------------------------------------------------------------------
#
# Four sheets. 规则: one row per rule with its benefit. 条件: one row per node of each rule's
# tree — the path column (text: 1, 1.2, 1.2.1) places it, the node column says all / any /
# not / condition / declare. 参数: one row per (parameter, start date). 测试: one row per test
# case, the subject as JSON. Headers may be the Chinese titles or the English keys.

SHEET_RULES, SHEET_NODES, SHEET_PARAMETERS, SHEET_TESTS = "规则", "条件", "参数", "测试"
SHEETS: dict[str, list[tuple[str, str]]] = {
    SHEET_RULES: [
        ("code", "编号"),
        ("name", "名称"),
        ("benefit", "金额方式"),
        ("amount", "定额"),
        ("base", "基数属性"),
        ("base_year", "基数年度"),
        ("brackets", "分档"),
        ("rate", "比例%"),
        ("cap", "封顶"),
        ("unit", "金额单位"),
        ("meta", "附加信息"),
    ],
    SHEET_NODES: [
        ("rule", "规则编号"),
        ("path", "路径"),
        ("node", "节点"),
        ("attribute", "属性"),
        ("year", "年度"),
        ("op", "运算符"),
        ("value", "取值"),
        ("parameter", "参数"),
        ("unit", "单位"),
        ("text", "说明"),
    ],
    SHEET_PARAMETERS: [
        ("name", "参数名"),
        ("label", "名称"),
        ("unit", "单位"),
        ("from", "起始日期"),
        ("value", "取值"),
    ],
    SHEET_TESTS: [
        ("rule", "规则编号"),
        ("name", "用例"),
        ("as_of", "基准日"),
        ("subject", "企业数据"),
        ("verdict", "预期结论"),
        ("amount", "预期金额"),
    ],
}
NODE_WORDS = {
    "all": "all",
    "全部满足": "all",
    "any": "any",
    "任一满足": "any",
    "not": "not",
    "不满足": "not",
    "condition": "condition",
    "条件": "condition",
    "declare": "declare",
    "自主申报": "declare",
}
NODE_TITLES = {
    "all": "全部满足",
    "any": "任一满足",
    "not": "不满足",
    "condition": "条件",
    "declare": "自主申报",
}
BENEFIT_WORDS = {
    "fixed": "fixed",
    "定额": "fixed",
    "tiered": "tiered",
    "分档": "tiered",
    "percentage": "percentage",
    "比例": "percentage",
}
BENEFIT_TITLES = {"fixed": "定额", "tiered": "分档", "percentage": "比例"}
UNKNOWN_AMOUNT_WORDS = ("unknown", "无法计算", "未知")
_SPLIT = re.compile(r"[,，、;；\s]+")
_PATH = re.compile(r"^1(\.[1-9]\d*)*$")


def rules_to_tables(
    ruleset: RuleSet, catalogue: Catalogue = ENTERPRISE_CATALOGUE
) -> dict[str, list[list[Any]]]:
    """The rule set as the rows of the four spreadsheet tables, values in `SHEETS` column
    order: what `write_xlsx` writes and what a form that edits rules as rows starts from."""
    from .explain import describe

    tables: dict[str, list[list[Any]]] = {title: [] for title in SHEETS}
    for rule in ruleset.rules:
        data = rules_to_data(RuleSet((rule,), ruleset.parameters))["rules"][0]
        benefit = data.get("benefit") or {}
        tables[SHEET_RULES].append(
            [
                rule.code,
                rule.name,
                BENEFIT_TITLES.get(benefit.get("type", ""), ""),
                benefit.get("amount"),
                benefit.get("attribute"),
                benefit.get("year"),
                "；".join(
                    f"{_cell_number(b['from'])}:{_cell_number(b['amount'])}"
                    for b in benefit.get("brackets", [])
                ),
                benefit.get("rate"),
                benefit.get("cap"),
                benefit.get("unit"),
                json.dumps(data["meta"], ensure_ascii=False) if "meta" in data else None,
            ]
        )
        for path, node in _walk_data(data["eligibility"], "1"):
            kind = next((k for k in ("all", "any", "not", "declare") if k in node), "condition")
            value = node.get("value")
            if isinstance(value, list):
                value = "、".join(value)
            text = (
                node.get("declare")
                if kind == "declare"
                else describe(_node_only(node), catalogue, ruleset.parameters)
            )
            tables[SHEET_NODES].append(
                [
                    rule.code,
                    path,
                    NODE_TITLES[kind],
                    node.get("attribute"),
                    node.get("year"),
                    node.get("op"),
                    value,
                    node.get("parameter"),
                    node.get("unit"),
                    text,
                ]
            )
        for case in data.get("tests", []):
            amount = case.get("amount", "")
            tables[SHEET_TESTS].append(
                [
                    rule.code,
                    case["name"],
                    case["as_of"],
                    json.dumps(case["subject"], ensure_ascii=False),
                    case["verdict"],
                    "unknown" if "amount" in case and amount is None else (None if amount == "" else amount),
                ]
            )
    for parameter in ruleset.parameters.values():
        for value in parameter.values:
            tables[SHEET_PARAMETERS].append(
                [parameter.name, parameter.label, parameter.unit, value.valid_from.isoformat(), value.value]
            )
    return tables


def write_xlsx(ruleset: RuleSet, catalogue: Catalogue = ENTERPRISE_CATALOGUE) -> bytes:
    """The rule set as a workbook (paths and codes written as text so Excel keeps them)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in rules_to_tables(ruleset, catalogue).items():
        sheet = workbook.create_sheet(title)
        sheet.append([t for _, t in SHEETS[title]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append(row)
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
                    cell.data_type = "s"  # "==" and ">=" are operators, not formulas
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _node_only(data: Mapping[str, Any]) -> Node:
    """A node's own content for its description (children are described on their own rows)."""
    if "all" in data:
        return AllOf(())
    if "any" in data:
        return AnyOf(())
    if "not" in data:
        return Not(Declaration(""))
    parser = _Parser()
    node = parser.node(data, (), "1", 0, "")
    return node if node is not None else Declaration("")


def _walk_data(node: Mapping[str, Any], path: str) -> list[tuple[str, Mapping[str, Any]]]:
    result = [(path, node)]
    if "all" in node or "any" in node:
        for i, child in enumerate(node.get("all", node.get("any")), start=1):
            result.extend(_walk_data(child, f"{path}.{i}"))
    elif "not" in node:
        result.extend(_walk_data(node["not"], f"{path}.1"))
    return result


def _cell_number(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def _read_sheet(workbook: Any, title: str) -> list[tuple[int, dict[str, Any]]]:
    if title not in workbook.sheetnames:
        return []
    columns = SHEETS[title]
    rows = workbook[title].iter_rows(values_only=True)
    header = next(rows, None) or ()
    mapping: dict[int, str] = {}
    for index, heading in enumerate(header):
        text = str(heading).strip() if heading is not None else ""
        key = next((k for k, t in columns if text in (k, t)), None)
        if key is not None:
            mapping[index] = key
    result = []
    for number, values in enumerate(rows, start=2):
        record = {}
        for index, key in mapping.items():
            value = values[index] if index < len(values) else None
            if isinstance(value, str):
                value = value.strip() or None
            record[key] = value
        if any(v is not None for v in record.values()):
            result.append((number, record))
    return result


def read_xlsx(source: str | Path | IO[bytes] | bytes, catalogue: Catalogue = ENTERPRISE_CATALOGUE) -> RuleSet:
    """A rule set from a workbook written as `write_xlsx` writes it. Faults name the sheet,
    the row and the column."""
    from openpyxl import load_workbook

    if isinstance(source, bytes):
        source = io.BytesIO(source)
    workbook = load_workbook(source, read_only=True, data_only=True)
    try:
        tables = {title: _read_sheet(workbook, title) for title in SHEETS}
    finally:
        workbook.close()
    return rules_from_tables(tables, catalogue)


Table = list[tuple[int, dict[str, Any]]]


def rules_from_tables(tables: Mapping[str, Table], catalogue: Catalogue = ENTERPRISE_CATALOGUE) -> RuleSet:
    """A rule set from the four tables of the spreadsheet layout (规则, 条件, 参数, 测试), each a
    list of (row number, {column key: value}) with empty cells as None. The spreadsheet reader
    and any form that edits rules as rows use this one reader, so both refuse the same faults
    and name the sheet and row of each."""
    where: dict[Pointer, tuple[str, int]] = {}
    faults: list[Issue] = []
    rules: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}
    for number, row in tables.get(SHEET_RULES, []):
        code = str(row.get("code") or "")
        pointer: Pointer = ("rules", len(rules))
        where[pointer] = (SHEET_RULES, number)
        if code in index_of:
            faults.append(
                Issue(
                    f"编号与第 {index_of[code]} 条规则重复",
                    len(rules) + 1,
                    code,
                    field="编号",
                    line=number,
                    sheet=SHEET_RULES,
                )
            )
        index_of.setdefault(code, len(rules) + 1)
        rule: dict[str, Any] = {"code": code, "name": row.get("name") or ""}
        benefit = _benefit_from_row(row)
        if benefit is not None:
            rule["benefit"] = benefit
            where[(*pointer, "benefit")] = (SHEET_RULES, number)
        if row.get("meta"):
            try:
                rule["meta"] = json.loads(row["meta"])
            except ValueError:
                faults.append(
                    Issue(
                        "附加信息应为 JSON 对象",
                        len(rules) + 1,
                        code,
                        field="附加信息",
                        line=number,
                        sheet=SHEET_RULES,
                    )
                )
        rules.append(rule)
    nodes: dict[str, dict[str, tuple[int, dict[str, Any]]]] = {}
    for number, row in tables.get(SHEET_NODES, []):
        code, path = str(row.get("rule") or ""), row.get("path")
        issue = _node_row_issue(code, path, index_of)
        if issue:
            faults.append(
                Issue(
                    issue,
                    index_of.get(code),
                    code,
                    field="路径" if code in index_of else "规则编号",
                    line=number,
                    sheet=SHEET_NODES,
                )
            )
            continue
        path = str(path)
        if path in nodes.setdefault(code, {}):
            faults.append(
                Issue(f"路径 {path} 出现了两次", index_of[code], code, path, "路径", number, SHEET_NODES)
            )
            continue
        nodes[code][path] = (number, row)
    for code, rows in nodes.items():
        index = index_of[code]
        tree, tree_faults = _tree_from_rows(rows, ("rules", index - 1, "eligibility"), where)
        for message, path, number, field in tree_faults:
            faults.append(Issue(message, index, code, path, field, number, SHEET_NODES))
        if tree is not None:
            rules[index - 1]["eligibility"] = tree
    for code, index in index_of.items():
        if code not in nodes:
            number = where[("rules", index - 1)][1]
            faults.append(
                Issue(
                    "在「条件」工作表中没有这条规则的条件",
                    index,
                    code,
                    field="规则编号",
                    line=number,
                    sheet=SHEET_RULES,
                )
            )
    for number, row in tables.get(SHEET_TESTS, []):
        code = str(row.get("rule") or "")
        if code not in index_of:
            faults.append(
                Issue(
                    f"没有编号为「{code}」的规则",
                    None,
                    code,
                    field="规则编号",
                    line=number,
                    sheet=SHEET_TESTS,
                )
            )
            continue
        rule = rules[index_of[code] - 1]
        tests = rule.setdefault("tests", [])
        where[("rules", index_of[code] - 1, "tests", len(tests))] = (SHEET_TESTS, number)
        case: dict[str, Any] = {
            "name": row.get("name"),
            "as_of": row.get("as_of"),
            "verdict": row.get("verdict"),
        }
        try:
            case["subject"] = json.loads(row.get("subject") or "")
        except ValueError:
            case["subject"] = None
        amount = row.get("amount")
        if isinstance(amount, str) and amount.lower() in UNKNOWN_AMOUNT_WORDS:
            case["amount"] = None
        elif amount is not None:
            case["amount"] = amount
        tests.append(case)
    parameters: dict[str, dict[str, Any]] = {}
    for number, row in tables.get(SHEET_PARAMETERS, []):
        name = str(row.get("name") or "")
        parameter = parameters.setdefault(
            name, {"name": name, "label": row.get("label"), "unit": row.get("unit"), "values": []}
        )
        where.setdefault(("parameters", list(parameters).index(name)), (SHEET_PARAMETERS, number))
        where[("parameters", list(parameters).index(name), "values", len(parameter["values"]))] = (
            SHEET_PARAMETERS,
            number,
        )
        parameter["values"].append({"from": row.get("from"), "value": row.get("value")})
    data = {"version": FORMAT_VERSION, "parameters": list(parameters.values()), "rules": rules}
    ruleset, parse_faults = parse_rules(data, catalogue)
    for fault, pointer in parse_faults:
        if (
            fault.field == "eligibility"
            and fault.rule is not None
            and "eligibility" not in rules[fault.rule - 1]
        ):
            continue  # its rows were refused above, each with its own message
        sheet, row_number = _row_of(pointer, where)
        title = _column_title(sheet, fault.field)
        faults.append(Issue(fault.message, fault.rule, fault.code, fault.path, title, row_number, sheet))
    if faults or ruleset is None:
        raise RuleError(faults)
    return ruleset


def _node_row_issue(code: str, path: Any, index_of: Mapping[str, int]) -> str:
    if code not in index_of:
        return f"没有编号为「{code}」的规则（先在「规则」工作表中列出）"
    if isinstance(path, float):
        return f"路径 {path} 被表格当成了数字：请把路径列设为文本格式"
    if path is None or not _PATH.match(str(path)):
        return f"路径「{path}」无效：应写作 1、1.2、1.2.1（根节点为 1）"
    return ""


def _tree_from_rows(
    rows: Mapping[str, tuple[int, dict[str, Any]]], root: Pointer, where: dict[Pointer, tuple[str, int]]
) -> tuple[dict[str, Any] | None, list[tuple[str, str, int, str]]]:
    """The nested node data of one rule from its rows, checking that the paths form a tree:
    a root `1`, every parent present and a group, children numbered 1, 2, 3 … without gaps."""
    faults: list[tuple[str, str, int, str]] = []
    fatal = False  # numbering gaps still give a tree, so that its other faults are listed too
    if "1" not in rows:
        first = min(number for number, _ in rows.values())
        return None, [("缺少根节点（路径 1）", "", first, "路径")]
    children: dict[str, list[str]] = {}
    for path, (number, _row) in rows.items():
        if path == "1":
            continue
        parent = path.rsplit(".", 1)[0]
        if parent not in rows:
            faults.append((f"路径 {path} 的上级 {parent} 不存在", path, number, "路径"))
            fatal = True
        else:
            children.setdefault(parent, []).append(path)

    def build(path: str, pointer: Pointer) -> dict[str, Any]:
        number, row = rows[path]
        where[pointer] = (SHEET_NODES, number)
        kind = NODE_WORDS.get(str(row.get("node") or "condition").strip())
        kids = sorted(children.get(path, []), key=lambda p: int(p.rsplit(".", 1)[1]))
        numbers = [int(p.rsplit(".", 1)[1]) for p in kids]
        if numbers != list(range(1, len(numbers) + 1)):
            faults.append((f"路径 {path} 的下级编号应从 1 起连续", path, number, "路径"))
        nonlocal fatal
        if kind is None:
            faults.append(
                (
                    f"节点类型「{row.get('node')}」无效：应为 全部满足 / 任一满足 / 不满足 / 条件 / 自主申报",
                    path,
                    number,
                    "节点",
                )
            )
            fatal = True
            return {}
        if kind in ("condition", "declare") and kids:
            faults.append(("条件下面不能再有下级节点", path, number, "节点"))
            fatal = True
        if kind == "declare":
            return {"declare": row.get("text") or ""}
        if kind == "condition":
            data: dict[str, Any] = {}
            for key in ("attribute", "year", "op", "parameter", "unit"):
                if row.get(key) is not None:
                    data[key] = row[key] if key != "attribute" else str(row[key])
            value = row.get("value")
            if value is not None:
                if data.get("op") in ("prefix", "in"):
                    value = [v for v in _SPLIT.split(str(value)) if v]
                elif data.get("op") in ("has", "lacks"):
                    value = str(value)
                elif isinstance(value, str):
                    with contextlib.suppress(ValueError):
                        value = float(value)
                data["value"] = value
            return data
        if kind == "not":
            if len(kids) != 1:
                faults.append(("「不满足」下应恰好有一个下级节点", path, number, "节点"))
                fatal = True
                return {"not": {}}
            return {"not": build(kids[0], (*pointer, "not"))}
        return {kind: [build(k, (*pointer, kind, i)) for i, k in enumerate(kids)]}

    tree = build("1", root)
    return (None, faults) if fatal else (tree, faults)


def _benefit_from_row(row: Mapping[str, Any]) -> dict[str, Any] | None:
    kind = row.get("benefit")
    if kind is None:
        return None
    data: dict[str, Any] = {"type": BENEFIT_WORDS.get(str(kind), str(kind))}
    if row.get("unit"):
        data["unit"] = row["unit"]
    if data["type"] == "fixed":
        data["amount"] = row.get("amount")
        return data
    data["attribute"] = row.get("base")
    if row.get("base_year") is not None:
        data["year"] = row["base_year"]
    if data["type"] == "tiered":
        brackets: list[dict[str, Any]] = []
        for part in _SPLIT.split(str(row.get("brackets") or "")):
            if part:
                start, _, amount = part.partition(":")
                try:
                    brackets.append({"from": float(start), "amount": float(amount)})
                except ValueError:
                    brackets.append({"from": part})  # reported by the parser as malformed
        data["brackets"] = brackets
    else:
        data["rate"] = row.get("rate")
        if row.get("cap") is not None:
            data["cap"] = row["cap"]
    return data


def _row_of(pointer: Pointer, where: Mapping[Pointer, tuple[str, int]]) -> tuple[str, int | None]:
    for end in range(len(pointer), 0, -1):
        found = where.get(pointer[:end])
        if found is not None:
            return found
    return "", None


_FIELD_COLUMNS = {
    "amount": "定额",
    "attribute": "基数属性",
    "year": "基数年度",
    "brackets": "分档",
    "rate": "比例%",
    "cap": "封顶",
    "type": "金额方式",
}


def _column_title(sheet: str, field: str) -> str:
    if not field:
        return ""
    if sheet == SHEET_RULES:
        return _FIELD_COLUMNS.get(field, next((t for k, t in SHEETS[sheet] if k == field), field))
    if sheet == SHEET_NODES and field == "declare":
        return "说明"
    return next((t for k, t in SHEETS.get(sheet, []) if k == field), field)


__all__: Sequence[str] = (
    "dump_json",
    "dump_yaml",
    "load_json",
    "load_rules",
    "load_yaml",
    "parse_rules",
    "read_xlsx",
    "rules_from_data",
    "rules_from_tables",
    "rules_to_data",
    "rules_to_tables",
    "write_xlsx",
    "yaml_available",
)
