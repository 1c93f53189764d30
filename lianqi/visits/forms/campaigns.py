"""Creating a campaign, editing a questionnaire, and taking a campaign's step."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import BoundedIntegerField, PickerSelectMultiple, StyledForm
from lianqi.enterprises.choices import EnterpriseKind, EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department, Staff

from .. import queries, scopes
from ..choices import THEMES, ScopeKind
from ..models import Questionnaire

#: What the rule box shows before anything is typed: the engine's format, in YAML.
RULE_EXAMPLE = """all:
- {attribute: industry, op: prefix, value: [C]}
- {attribute: revenue, year: Y-1, op: '>=', value: 2000}
- not: {attribute: tags, op: has, value: 失信企业}"""


class CampaignForm(StyledForm):
    """A new campaign of the user's jurisdiction. Its scope is one value (a kind, an industry
    prefix, a tag), a list (picked here and/or imported from an Excel file of credit codes,
    every unknown code named by its row), or an eligibility rule in the rule engine's format
    (JSON or YAML, as policies are written), each checked next to its field."""

    title = forms.CharField(label=_("活动名称"), max_length=100)
    theme = forms.CharField(
        label=_("主题"),
        max_length=40,
        widget=forms.TextInput(attrs={"list": "themes"}),
        help_text=_("可从常用主题中选择，也可自行填写"),
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    questionnaire = forms.ModelChoiceField(label=_("问卷"), queryset=Questionnaire.objects.none())
    target_coverage = BoundedIntegerField(label=_("目标走访率（%）"), initial=100, min_value=1, max_value=100)
    scope_kind = forms.ChoiceField(label=_("走访范围"), choices=ScopeKind.choices)
    scope_value = forms.CharField(
        label=_("范围条件"),
        required=False,
        max_length=100,
        help_text=_(
            "按主体类型时填写类型代码（%(kinds)s）；按行业时填写行业代码开头，如 C 或 38；按标签时填写标签名称"
        )
        % {"kinds": "、".join(EnterpriseKind.values)},
    )
    scope_rule = forms.CharField(
        label=_("范围规则"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 6, "class": "font-monospace", "spellcheck": "false", "placeholder": RULE_EXAMPLE}
        ),
        help_text=_(
            "按条件规则时填写：与政策申报条件相同的规则格式（JSON 或 YAML），可以只写条件，"
            "也可以粘贴一条完整规则；按活动开始日评估，符合条件的企业即为走访对象"
        ),
    )
    enterprises = forms.ModelMultipleChoiceField(
        label=_("指定企业"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=PickerSelectMultiple("enterprises:pick"),
        help_text=_("指定企业名单时选择，可与导入的名单合并"),
    )
    scope_file = forms.FileField(
        label=_("导入企业名单"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("指定企业名单时可上传 Excel（.xlsx），含“统一社会信用代码”列，可另有“企业名称”“备注”列"),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("参与部门"), queryset=Department.objects.none(), required=False
    )
    liaisons = forms.ModelMultipleChoiceField(
        label=_("参与干部"),
        queryset=Staff.objects.none(),
        required=False,
        # A park's hundreds of cadres: searched, scoped to the user's subtree like the field.
        widget=PickerSelectMultiple("org:pick_staff"),
        help_text=_("不选则本辖区全部联企干部参与"),
    )

    themes = THEMES

    def __init__(
        self,
        *args: Any,
        questionnaires: Any,
        departments: Any,
        staff: Any,
        enterprises: Any,
        jurisdiction_path: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = questionnaires  # type: ignore[attr-defined]
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]
        self.fields["liaisons"].queryset = staff  # type: ignore[attr-defined]
        self.fields["enterprises"].queryset = enterprises  # type: ignore[attr-defined]
        self.jurisdiction_path = jurisdiction_path

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("scope_kind")
        try:
            if kind == ScopeKind.RULE:
                data["scope_rule"] = scopes.read_rule(data.get("scope_rule", ""))
            else:
                data["scope_rule"] = {}
            if kind == ScopeKind.LIST and data.get("scope_file"):
                imported = self._imported(data["scope_file"])
                data["enterprises"] = list(
                    {e.pk: e for e in [*data.get("enterprises", []), *imported]}.values()
                )
        except forms.ValidationError as invalid:
            self.add_error(None, invalid)
        return data

    def _imported(self, upload: Any) -> list[Enterprise]:
        """The enterprises of an uploaded list: every code must be one of an enterprise in the
        park inside the user's jurisdiction; the others are named by their row."""
        rows, problems = scopes.read_credit_codes(upload)
        found = queries.enterprises_by_credit_code(self.jurisdiction_path, [code for _row, code in rows])
        for number, code in rows:
            enterprise = found.get(code)
            if enterprise is None:
                problems.append(
                    (number, gettext("本辖区企业库中没有统一社会信用代码为 %(code)s 的企业") % {"code": code})
                )
            elif enterprise.status != EnterpriseStatus.ACTIVE:
                problems.append(
                    (
                        number,
                        gettext("%(name)s %(status)s，不能作为走访对象")
                        % {"name": enterprise.name, "status": enterprise.get_status_display()},
                    )
                )
        if problems:
            raise forms.ValidationError({"scope_file": scopes.row_messages(problems)})
        return [found[code] for _row, code in rows]


class QuestionnaireForm(StyledForm):
    """A questionnaire's name and its definition as JSON (the format is in
    `lianqi.visits.questionnaire.definition`)."""

    title = forms.CharField(label=_("问卷名称"), max_length=100)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    definition = forms.CharField(
        label=_("问卷定义（JSON）"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace", "spellcheck": "false"}),
    )

    def clean_definition(self) -> Any:
        try:
            return json.loads(self.cleaned_data["definition"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("不是有效的 JSON：第 %(line)s 行附近") % {"line": getattr(exc, "lineno", "?")}
            ) from None


class StepForm(StyledForm):
    """One step of a campaign, with the version the page showed (a stale page is refused)."""

    expected_version = BoundedIntegerField(widget=forms.HiddenInput)
