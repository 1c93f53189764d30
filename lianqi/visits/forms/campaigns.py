"""Creating a campaign, editing a questionnaire, and taking a campaign's step."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import BoundedIntegerField, StyledForm
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.org.models import Department, Staff

from ..choices import THEMES, ScopeKind
from ..models import Questionnaire


class CampaignForm(StyledForm):
    """A new campaign of the user's jurisdiction. The hand-picked list scope is set through the
    API for now; the page offers the scopes described by one value."""

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
    scope_kind = forms.ChoiceField(
        label=_("走访范围"), choices=[c for c in ScopeKind.choices if c[0] != ScopeKind.LIST]
    )
    scope_value = forms.CharField(
        label=_("范围条件"),
        required=False,
        max_length=100,
        help_text=_(
            "按主体类型时填写类型代码（%(kinds)s）；按行业时填写行业代码开头，如 C 或 38；按标签时填写标签名称"
        )
        % {"kinds": "、".join(EnterpriseKind.values)},
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("参与部门"), queryset=Department.objects.none(), required=False
    )
    liaisons = forms.ModelMultipleChoiceField(
        label=_("参与干部"),
        queryset=Staff.objects.none(),
        required=False,
        help_text=_("不选则本辖区全部联企干部参与"),
    )

    themes = THEMES

    def __init__(self, *args: Any, questionnaires: Any, departments: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = questionnaires  # type: ignore[attr-defined]
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]
        self.fields["liaisons"].queryset = staff  # type: ignore[attr-defined]


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
