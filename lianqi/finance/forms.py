"""The forms of the finance pages: an application, and the form of each step, built from what
the workflow table says the step needs. Amounts are typed in yuan; the actions check them
against the product and store them as fen."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import MultipleFileField, PickerSelect, StyledForm
from lianqi.core.uploads import allowed_suffixes
from lianqi.enterprises.models import Enterprise
from lianqi.policies.subjects import parsed_condition

from .choices import InstitutionKind, ProductKind
from .models import Institution, Product
from .workflow import needs_of

#: Yuan as typed: two decimals at most (a fen is the smallest amount), below ¥100 billion.
YUAN = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}


class ApplicationForm(StyledForm):
    """Apply for a product: amount, term, purpose, and consent to share the enterprise's data
    with the institution."""

    amount_yuan = forms.DecimalField(label=_("申请金额（元）"), **YUAN)  # type: ignore[arg-type]
    term_months = forms.IntegerField(label=_("期限（月）"), min_value=1, max_value=600)
    purpose = forms.CharField(label=_("资金用途"), max_length=200)
    materials = MultipleFileField(label=_("申请材料"))
    consent = forms.BooleanField(
        label=_("同意向该金融机构共享本企业的登记信息、年度经营数据和纳税数据，用于本次申请的审核"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Worded per request, in the reader's language.
        self.fields["materials"].help_text = _("可多选，如财务报表、购销合同；支持：%(types)s") % {
            "types": allowed_suffixes()
        }


def _need_fields() -> dict[str, forms.Field]:
    """A form field for each input a step of the table may need."""
    return {
        "granted_yuan": forms.DecimalField(label=_("授信金额（元）"), **YUAN),  # type: ignore[arg-type]
        "reason": forms.CharField(
            label=_("未通过原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
        ),
        "disbursed_yuan": forms.DecimalField(label=_("放款金额（元）"), **YUAN),  # type: ignore[arg-type]
        "disbursed_on": forms.DateField(label=_("放款日期"), widget=forms.DateInput(attrs={"type": "date"})),
    }


class StepForm(StyledForm):
    """One step: the version the page showed (a step based on a stale page is refused) and the
    step's input, prefixed by the step's name so that several steps share one page."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def inputs(self) -> dict[str, Any]:
        """The step's input, as the action takes it."""
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}


def step_form(action: str, data: Any = None, *, version: int | None = None) -> StepForm:
    """The form of step `action`, with the fields the table says it needs."""
    fields = _need_fields()
    form_class = type("StepForm", (StepForm,), {name: fields[name] for name in needs_of(action)})
    form: StepForm = form_class(data, prefix=action, initial={"expected_version": version})
    return form


class VersionForm(StyledForm):
    """An action outside the table (turning an application into a demand) with the version the
    page showed."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)


DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class ProductVersionForm(StyledForm):
    """A new version of a product's terms: the day it takes effect (and ends, if it does), the
    terms, and the admission criteria as rule data (JSON), for the office's review."""

    valid_from = forms.DateField(label=_("生效日期"), **DATE)  # type: ignore[arg-type]
    valid_to = forms.DateField(label=_("失效日期"), required=False, **DATE)  # type: ignore[arg-type]
    min_amount_yuan = forms.DecimalField(label=_("最低额度（元）"), **YUAN)  # type: ignore[arg-type]
    max_amount_yuan = forms.DecimalField(label=_("最高额度（元）"), **YUAN)  # type: ignore[arg-type]
    min_rate = forms.DecimalField(label=_("最低年利率（%）"), max_digits=5, decimal_places=2)
    max_rate = forms.DecimalField(label=_("最高年利率（%）"), max_digits=5, decimal_places=2)
    min_term_months = forms.IntegerField(label=_("最短期限（月）"), min_value=1, max_value=600)
    max_term_months = forms.IntegerField(label=_("最长期限（月）"), min_value=1, max_value=600)
    promise_workdays = forms.IntegerField(label=_("承诺受理时限（工作日）"), min_value=1, max_value=60)
    decide_workdays = forms.IntegerField(
        label=_("承诺审批时限（工作日）"),
        min_value=1,
        max_value=120,
        initial=15,
        help_text=_("受理后作出授信或不通过决定的时限，含尽职调查"),
    )
    collateral = forms.CharField(label=_("担保方式"), max_length=200, required=False)
    description = forms.CharField(
        label=_("产品介绍"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    rule = forms.JSONField(label=_("准入条件（规则数据）"), widget=forms.Textarea(attrs={"rows": 8}))
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)

    @classmethod
    def for_product(cls, product: Any) -> ProductVersionForm:
        """The form filled with the product's current terms, to change what differs."""
        initial = {name: getattr(product, name) for name in cls.base_fields if hasattr(product, name)}
        initial["min_amount_yuan"] = Decimal(product.min_amount_fen) / 100
        initial["max_amount_yuan"] = Decimal(product.max_amount_fen) / 100
        return cls(initial=initial)


class ReviewForm(StyledForm):
    """The office's comments on a submitted version (required to return it)."""

    comment = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class PilotForm(StyledForm):
    """Set up a pilot: its name and code (what a product's rule names), the guarantee company
    that leads it, the banks that take part and its dedicated product, all serving the
    jurisdiction."""

    name = forms.CharField(label=_("试点名称"), max_length=200)
    code = forms.CharField(
        label=_("试点编号"),
        max_length=40,
        help_text=_("字母、数字或连字符，如 DCZY；产品准入规则以此引用白名单"),
    )
    guarantor = forms.ModelChoiceField(label=_("牵头担保机构"), queryset=Institution.objects.none())
    banks = forms.ModelMultipleChoiceField(label=_("试点银行"), queryset=Institution.objects.none())
    product = forms.ModelChoiceField(label=_("专属产品"), queryset=Product.objects.none(), required=False)

    def __init__(self, *args: Any, institutions: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "guarantor": institutions.filter(kind=InstitutionKind.GUARANTEE),
            "banks": institutions.exclude(kind=InstitutionKind.GUARANTEE),
            "product": Product.objects.filter(institution__in=institutions).order_by("name"),
        }
        for name, queryset in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class WhitelistRuleForm(StyledForm):
    """A new version of a pilot's whitelist rule: rule data (JSON) with one rule, and a note."""

    rule = forms.JSONField(label=_("白名单规则（规则数据）"), widget=forms.Textarea(attrs={"rows": 8}))
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)


class WhitelistChangeForm(StyledForm):
    """Add an enterprise of the pilot's jurisdiction to its whitelist, or remove it: always with
    a reason."""

    enterprise = forms.ModelChoiceField(
        label=_("企业"),
        queryset=Enterprise.objects.none(),
        widget=PickerSelect("enterprises:pick"),
        error_messages={"invalid_choice": _("请选择试点所在辖区的企业")},
    )
    included = forms.TypedChoiceField(
        label=_("调整"),
        choices=[("1", _("纳入白名单")), ("0", _("移出白名单"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("理由"), max_length=200)

    def __init__(self, *args: Any, enterprises: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = enterprises


class EventForm(StyledForm):
    """A matching event: its title, day, place and the institutions serving the jurisdiction
    that came."""

    title = forms.CharField(label=_("活动名称"), max_length=200)
    held_on = forms.DateField(label=_("举办日期"), **DATE)  # type: ignore[arg-type]
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    institutions = forms.ModelMultipleChoiceField(label=_("参会机构"), queryset=Institution.objects.none())

    def __init__(self, *args: Any, institutions: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institutions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = institutions


class AttendanceForm(StyledForm):
    """An enterprise of the event's jurisdiction that came."""

    enterprise = forms.ModelChoiceField(
        label=_("参会企业"),
        queryset=Enterprise.objects.none(),
        widget=PickerSelect("enterprises:pick"),
        error_messages={"invalid_choice": _("请选择活动所在辖区的企业")},
    )

    def __init__(self, *args: Any, enterprises: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = enterprises


class AgreementForm(StyledForm):
    """An agreement signed at a matching event: the enterprise, one of the event's institutions,
    the amount in yuan and the kind of financing."""

    enterprise = forms.ModelChoiceField(
        label=_("企业"),
        queryset=Enterprise.objects.none(),
        widget=PickerSelect("enterprises:pick"),
        error_messages={"invalid_choice": _("请选择活动所在辖区的企业")},
    )
    institution = forms.ModelChoiceField(label=_("金融机构"), queryset=Institution.objects.none())
    amount_yuan = forms.DecimalField(label=_("签约金额（元）"), **YUAN)  # type: ignore[arg-type]
    kind = forms.ChoiceField(label=_("融资类型"), choices=ProductKind.choices)

    def __init__(
        self,
        *args: Any,
        enterprises: QuerySet[Enterprise],
        institutions: QuerySet[Institution],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("enterprise", enterprises), ("institution", institutions)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class InvitationForm(StyledForm):
    """Whom to invite to a matching event: a condition over the register (the rule engine's
    JSON, e.g. a pilot's whitelist) and how many months of financing-difficulty demands to
    look back on; either may be left out."""

    rule = forms.CharField(
        label=_("邀请条件（规则引擎的 JSON 条件，可留空）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_('如白名单企业：{"attribute": "finance_whitelists", "op": "has", "value": "DCZY"}'),
    )
    demand_months = forms.IntegerField(
        label=_("邀请近几个月提出融资困难诉求的企业（月，0 为不邀请）"),
        min_value=0,
        max_value=24,
        initial=6,
        required=False,
    )

    def clean_rule(self) -> dict[str, Any]:
        parsed, problems = parsed_condition(self.cleaned_data.get("rule", ""), str(_("对接活动邀请")))
        if problems:
            raise forms.ValidationError("；".join(problems))
        return parsed
