"""The policy workbench's forms: the policy's particulars, and its rule edited as rows — the
same four tables as the rule spreadsheet (conditions, benefit, parameters, test cases) — so
that the office edits conditions in forms, not code, and the form and the spreadsheet are read
and checked by one reader (`lianqi.rules.rules_from_tables`)."""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledForm, StyledModelForm
from lianqi.rules import ENTERPRISE_CATALOGUE
from lianqi.rules.formats import (
    BENEFIT_TITLES,
    NODE_TITLES,
    SHEET_NODES,
    SHEET_PARAMETERS,
    SHEET_RULES,
    SHEET_TESTS,
    SHEETS,
)

from ..models import Policy

YEAR_CHOICES = [("", "—"), ("Y", _("本年度")), *[(f"Y-{n}", _("%(n)s 年前") % {"n": n}) for n in range(1, 6)]]
OP_CHOICES = [
    ("", "—"),
    (">=", "≥"),
    (">", ">"),
    ("<=", "≤"),
    ("<", "<"),
    ("==", "="),
    ("!=", "≠"),
    ("prefix", _("属于（代码前缀）")),
    ("in", _("为其中之一")),
    ("has", _("含标签")),
    ("lacks", _("不含标签")),
]
VERDICT_CHOICES = [("eligible", _("符合")), ("ineligible", _("不符合")), ("unknown", _("待定"))]


class PolicyForm(StyledModelForm):
    """A policy's particulars (its rule is edited on the workbench)."""

    # A link typed without a scheme is taken as https (the default Django 6 adopts).
    source_url = forms.URLField(label=_("原文链接"), required=False, assume_scheme="https")

    class Meta:
        model = Policy
        fields = [
            "code",
            "title",
            "level",
            "kind",
            "department",
            "issuer",
            "document_number",
            "summary",
            "source_url",
            "needs_application",
            "no_application",
            "is_active",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        if self.instance.pk:
            # The code names the rule in every version and file; it does not change.
            self.fields["code"].disabled = True


#: What each node type of the 条件 table is called on the form (the value stays the sheet's
#: Chinese title, which the one reader of forms and spreadsheets understands).
NODE_LABELS = {
    "all": _("全部满足"),
    "any": _("任一满足"),
    "not": _("不满足"),
    "condition": _("条件"),
    "declare": _("企业自主申报事项"),
}


class ConditionRowForm(StyledForm):
    """One node of the condition tree, as one row of the 条件 table."""

    path = forms.CharField(label=_("路径"), required=False, max_length=40)
    node = forms.ChoiceField(
        label=_("节点"), required=False, choices=[(t, NODE_LABELS[k]) for k, t in NODE_TITLES.items()]
    )
    attribute = forms.ChoiceField(
        label=_("属性"),
        required=False,
        # The catalogue's words are marked for translation where they are declared.
        choices=[("", "—"), *[(a.name, _(a.label)) for a in ENTERPRISE_CATALOGUE]],
    )

    #: The row read as a sentence (set by the workbench from the rule it shows; None for a
    #: row not yet part of a valid rule).
    sentence: Any = None
    year = forms.ChoiceField(label=_("年度"), required=False, choices=YEAR_CHOICES)
    op = forms.ChoiceField(label=_("运算符"), required=False, choices=OP_CHOICES)
    value = forms.CharField(label=_("取值"), required=False, max_length=500)
    parameter = forms.CharField(label=_("参数"), required=False, max_length=60)
    unit = forms.CharField(label=_("单位"), required=False, max_length=10)
    text = forms.CharField(label=_("说明"), required=False, max_length=200)


class BenefitForm(StyledForm):
    """The benefit (兑现标准), as the benefit columns of the 规则 table."""

    benefit = forms.ChoiceField(
        label=_("金额方式"),
        required=False,
        choices=[("", _("无金额")), *[(t, t) for t in BENEFIT_TITLES.values()]],
    )
    amount = forms.CharField(label=_("定额"), required=False, max_length=30)
    base = forms.ChoiceField(
        label=_("基数属性"),
        required=False,
        choices=[("", "—"), *[(a.name, a.label) for a in ENTERPRISE_CATALOGUE if a.unit]],
    )
    base_year = forms.ChoiceField(label=_("基数年度"), required=False, choices=YEAR_CHOICES)
    brackets = forms.CharField(
        label=_("分档"),
        required=False,
        max_length=500,
        help_text=_("如 2000:10；5000:20，表示基数 ≥ 2000 得 10"),
    )
    rate = forms.CharField(label=_("比例%"), required=False, max_length=30)
    cap = forms.CharField(label=_("封顶"), required=False, max_length=30)
    unit = forms.CharField(label=_("金额单位"), required=False, max_length=10, initial="万元")


class ParameterRowForm(StyledForm):
    """One dated value of a named parameter (参数)."""

    name = forms.CharField(label=_("参数名"), required=False, max_length=60)
    label = forms.CharField(label=_("名称"), required=False, max_length=60)
    unit = forms.CharField(label=_("单位"), required=False, max_length=10)
    valid_from = forms.CharField(label=_("起始日期"), required=False, max_length=10)
    value = forms.CharField(label=_("取值"), required=False, max_length=30)


class TestRowForm(StyledForm):
    """One of the policy's own test cases: an enterprise profile and the expected verdict."""

    name = forms.CharField(label=_("用例"), required=False, max_length=100)
    as_of = forms.CharField(label=_("基准日"), required=False, max_length=10)
    subject = forms.CharField(
        label=_("企业数据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('JSON，如 {"industry": "3811", "revenue": {"2024": 2300}}'),
    )
    verdict = forms.ChoiceField(label=_("预期结论"), required=False, choices=VERDICT_CHOICES)
    amount = forms.CharField(label=_("预期金额"), required=False, max_length=30)


class VersionForm(StyledForm):
    """When this wording applies, and what changed."""

    valid_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("失效日期"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    note = forms.CharField(label=_("修订说明"), required=False, max_length=200)


ConditionFormSet = forms.formset_factory(ConditionRowForm, extra=3, max_num=200)
ParameterFormSet = forms.formset_factory(ParameterRowForm, extra=1, max_num=50)
TestFormSet = forms.formset_factory(TestRowForm, extra=1, max_num=50)

#: The form column of each table key, where it differs (the parameters' date).
_PARAMETER_KEYS = {"from": "valid_from"}


def rows_from_tables(tables: dict[str, list[list[Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Initial form data from `rules_to_tables`: each row as {column key: text}."""
    result: dict[str, list[dict[str, Any]]] = {}
    for title, rows in tables.items():
        keys = [_PARAMETER_KEYS.get(k, k) if title == SHEET_PARAMETERS else k for k, _t in SHEETS[title]]
        result[title] = [
            {key: ("" if value is None else str(value)) for key, value in zip(keys, row, strict=False)}
            for row in rows
        ]
    return result


def _cell(value: Any) -> Any:
    value = (value or "").strip() if isinstance(value, str) else value
    return value or None


#: Columns a spreadsheet cell would hold as a number; the form's text is turned into one so
#: that both readers see the same values ("unknown" and other words stay text, to be judged).
_NUMERIC = {SHEET_RULES: ("amount", "rate", "cap"), SHEET_PARAMETERS: ("value",), SHEET_TESTS: ("amount",)}


def _numbers(sheet: str, row: dict[str, Any]) -> dict[str, Any]:
    for key in _NUMERIC.get(sheet, ()):
        value = row.get(key)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                row[key] = float(value)
    return row


def tables_from_forms(
    code: str, name: str, benefit: BenefitForm, conditions: Any, parameters: Any, tests: Any
) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """The four tables for `rules_from_tables` from the bound, valid forms; row numbers count
    the form rows from 1, so a fault names the row the user sees. Empty rows are skipped."""
    benefit_row = {
        key: _cell(benefit.cleaned_data.get(key)) for key, _t in SHEETS[SHEET_RULES] if key in benefit.fields
    }
    rules = [(1, _numbers(SHEET_RULES, {"code": code, "name": name, **benefit_row}))]

    def numbered(formset: Any, sheet: str, extra: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
        rows = []
        for number, form in enumerate(formset.forms, start=1):
            data = {k: _cell(v) for k, v in form.cleaned_data.items() if k != "DELETE"}
            if sheet == SHEET_NODES:
                # A row with only the default node type is an empty row.
                if not any(v for k, v in data.items() if k != "node"):
                    continue
            elif not any(data.values()):
                continue
            if sheet == SHEET_PARAMETERS:
                data["from"] = data.pop("valid_from", None)
            rows.append((number, _numbers(sheet, {**extra, **data})))
        return rows

    return {
        SHEET_RULES: rules,
        SHEET_NODES: numbered(conditions, SHEET_NODES, {"rule": code}),
        SHEET_PARAMETERS: numbered(parameters, SHEET_PARAMETERS, {}),
        SHEET_TESTS: numbered(tests, SHEET_TESTS, {"rule": code}),
    }


def column_key(sheet: str, title: str) -> str | None:
    """The form field a fault's column title names, in the sheet's table."""
    key = next((k for k, t in SHEETS.get(sheet, []) if title in (k, t)), None)
    if sheet == SHEET_PARAMETERS and key is not None:
        return _PARAMETER_KEYS.get(key, key)
    if sheet == SHEET_NODES and title == "declare":
        return "text"
    return key


class RuleFileForm(StyledForm):
    """A rule file to load into a new draft: JSON, YAML or the rule spreadsheet."""

    file = forms.FileField(label=_("规则文件"), help_text=_("JSON、YAML 或 Excel（.xlsx）"))
