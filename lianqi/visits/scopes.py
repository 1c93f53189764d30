"""Reading a campaign's scope from what people type or upload: an eligibility rule in the rule
engine's format (the same files policies are written in, `lianqi.rules`), and a list of
enterprises as an Excel file of credit codes. Nothing here touches the database; the
enterprises a rule or a list selects are found by `queries.campaign_targets` and
`queries.enterprises_by_credit_code`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import IO, Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianqi.core.excel import Column, HeaderError, read_rows
from lianqi.enterprises import creditcode
from lianqi.enterprises.validators import credit_code_message
from lianqi.rules import (
    ENTERPRISE_CATALOGUE,
    Declaration,
    RuleError,
    RuleSet,
    describe,
    load_yaml,
    rules_from_data,
    rules_to_data,
)
from lianqi.rules.model import walk

#: The code a rule gets when only its conditions were given (a campaign's scope has one rule).
SCOPE_CODE = "SCOPE"
#: How many faulty rows of an imported list are named before the rest are counted.
SHOWN_ROW_ERRORS = 20


def _wrapped(data: Any) -> Any:
    """A rule file from what was given: a whole file as it is; one rule (with its
    `eligibility`), or only the conditions (a node), put into a file of one rule."""
    if isinstance(data, Mapping) and "rules" in data:
        return data
    if isinstance(data, Mapping) and "eligibility" in data:
        rule = {"code": SCOPE_CODE, "name": _("走访范围"), **data}
        return {"version": 1, "rules": [rule]}
    return {"version": 1, "rules": [{"code": SCOPE_CODE, "name": _("走访范围"), "eligibility": data}]}


def _checked(ruleset: RuleSet) -> dict[str, Any]:
    """The rule set's data, once it holds exactly one rule the platform can decide alone."""
    if len(ruleset.rules) != 1:
        raise ValidationError({"scope_rule": _("走访范围须恰好包含一条规则")})
    declared = [
        node.text for _path, node in walk(ruleset.rules[0].eligibility) if isinstance(node, Declaration)
    ]
    if declared:
        # A self-declared condition is always undecided, so it would select no enterprise.
        raise ValidationError(
            {
                "scope_rule": _("走访范围不能含需企业自行申报的条件：%(conditions)s")
                % {"conditions": "、".join(declared)}
            }
        )
    return rules_to_data(ruleset)


def _faults(error: RuleError, wrapped: bool = False) -> ValidationError:
    """The engine's faults on ``scope_rule``; a rule made from bare conditions is not named
    (the person typed no rule, only its conditions, whose positions the messages keep)."""
    issues = [replace(issue, rule=None, code="") if wrapped else issue for issue in error.issues]
    return ValidationError({"scope_rule": [str(issue) for issue in issues]})


def check_rule(data: Any) -> dict[str, Any]:
    """A scope rule given as data (the API's JSON): a rule file with one rule, one rule, or
    only its conditions. Answers the rule file's data as stored; every fault is an error on
    ``scope_rule`` naming where it is."""
    if data in (None, "", {}):
        raise ValidationError({"scope_rule": _("请填写走访范围规则")})
    whole = _wrapped(data)
    try:
        return _checked(rules_from_data(whole, ENTERPRISE_CATALOGUE))
    except RuleError as error:
        raise _faults(error, wrapped=whole is not data) from error


def read_rule(text: str) -> dict[str, Any]:
    """A scope rule typed or pasted as JSON or YAML (YAML reads JSON too). A whole rule file
    is read with its line numbers in the messages; one rule or only its conditions are put
    into a file first (`check_rule`)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"scope_rule": _("请填写走访范围规则")})
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        # Not even YAML: the engine's reader below says where.
        data = None
    try:
        if isinstance(data, Mapping) and "rules" in data:
            return _checked(load_yaml(text, ENTERPRISE_CATALOGUE))
        if data is None:
            load_yaml(text, ENTERPRISE_CATALOGUE)
    except RuleError as error:
        raise _faults(error) from error
    return check_rule(data)


@dataclass(frozen=True)
class RuleLine:
    """One condition of a scope rule as the campaign's page shows it, indented by its depth."""

    depth: int
    text: str


def rule_lines(data: Mapping[str, Any]) -> list[RuleLine]:
    """The conditions of a stored scope rule, one sentence each (the engine's wording)."""
    if not data:
        return []
    ruleset = rules_from_data(dict(data), ENTERPRISE_CATALOGUE)
    return [
        RuleLine(path.count("."), describe(node, ENTERPRISE_CATALOGUE, ruleset.parameters))
        for path, node in walk(ruleset.rules[0].eligibility)
    ]


# --- An imported list ------------------------------------------------------------------------

LIST_COLUMNS = (
    Column("credit_code", "统一社会信用代码", required=True, aliases=("信用代码", "Credit code")),
    Column("name", "企业名称", aliases=("Enterprise",)),
    Column("note", "备注", aliases=("Note",)),
)


def _rows(source: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        _total, rows = read_rows(source, LIST_COLUMNS)
    except HeaderError as error:
        messages = []
        if error.missing:
            messages.append(_("缺少列：%(columns)s") % {"columns": "、".join(error.missing)})
        if error.unknown:
            messages.append(_("无法识别的列：%(columns)s") % {"columns": "、".join(error.unknown)})
        raise ValidationError({"scope_file": messages}) from error
    except Exception as error:
        raise ValidationError({"scope_file": _("无法读取该文件，请上传 Excel（.xlsx）文件")}) from error
    return rows


def read_credit_codes(source: IO[bytes]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The credit codes of an uploaded list (the first sheet: a 统一社会信用代码 column, and
    optionally 企业名称 and 备注), each with its Excel row number, and the rows whose code is
    missing or not a valid credit code, each with its message (the caller reports them with
    the codes it could not find, all at once)."""
    found: list[tuple[int, str]] = []
    problems: list[tuple[int, str]] = []
    for number, row in _rows(source):
        value = creditcode.normalise(str(row.get("credit_code") or ""))
        message = credit_code_message(value) if value else _("缺少统一社会信用代码")
        if message:
            problems.append((number, message))
        else:
            found.append((number, value))
    if not found and not problems:
        raise ValidationError({"scope_file": _("文件中没有统一社会信用代码")})
    return found, problems


def row_messages(problems: list[tuple[int, str]]) -> list[str]:
    """Row problems in row order, each saying its row; the first few and how many more."""
    return shown(
        [
            _("第 %(row)s 行：%(message)s") % {"row": row, "message": message}
            for row, message in sorted(problems)
        ]
    )


def shown(problems: list[str]) -> list[str]:
    """The first problems of a list, and how many more there are."""
    if len(problems) <= SHOWN_ROW_ERRORS:
        return problems
    rest = len(problems) - SHOWN_ROW_ERRORS
    return [*problems[:SHOWN_ROW_ERRORS], _("另有 %(count)s 行有误") % {"count": rest}]
