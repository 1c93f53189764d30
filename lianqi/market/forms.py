"""The forms of the market's pages. They check the shape of what was typed (a number, a date);
the actions check the rules and name the field they refuse, which the page shows next to it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import BoundedIntegerField, PickerSelect, StyledForm
from lianqi.enterprises.models import Enterprise
from lianqi.policies.money import MAX_DIGITS

from .choices import ChainRole, ParticipantRole, SupplierRegion, Visibility
from .workflow import needs_of


def _money(label: Any, *, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=MAX_DIGITS, decimal_places=2, min_value=0.01
    )


class OfferForm(StyledForm):
    """Record an offer (the enterprise is the one the page was opened for)."""

    product = forms.CharField(label=_("产品"), max_length=200)
    industry_code = forms.CharField(
        label=_("行业分类代码"), max_length=5, help_text=_("国民经济行业分类（GB/T 4754），如 3831")
    )
    keywords = forms.CharField(label=_("关键词"), max_length=200, required=False)
    specification = forms.CharField(
        label=_("规格型号"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    capacity = forms.DecimalField(
        label=_("年产能"), required=False, max_digits=14, decimal_places=2, min_value=0.01
    )
    unit = forms.CharField(label=_("计量单位"), max_length=20, required=False)
    certifications = forms.CharField(
        label=_("资质认证"), max_length=200, required=False, help_text=_("多个用顿号或逗号分隔")
    )
    price_band = forms.CharField(label=_("价格区间"), max_length=100, required=False)
    visibility = forms.ChoiceField(label=_("公开范围"), choices=Visibility.choices, initial=Visibility.OFFICE)


class NeedForm(StyledForm):
    """Record a need (the enterprise is the one the page was opened for)."""

    item = forms.CharField(label=_("采购品"), max_length=200)
    industry_code = forms.CharField(
        label=_("行业分类代码"), max_length=5, help_text=_("国民经济行业分类（GB/T 4754），如 3831")
    )
    keywords = forms.CharField(label=_("关键词"), max_length=200, required=False)
    quantity = forms.DecimalField(label=_("数量"), max_digits=14, decimal_places=2, min_value=0.01)
    unit = forms.CharField(label=_("计量单位"), max_length=20)
    budget = _money(_("预算（元）"), required=False)
    wanted_by = forms.DateField(label=_("需求日期"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}))
    certifications = forms.CharField(label=_("所需认证"), max_length=200, required=False)
    current_supplier_region = forms.ChoiceField(
        label=_("现供应商所在地"), choices=SupplierRegion.choices, required=False
    )
    visibility = forms.ChoiceField(label=_("公开范围"), choices=Visibility.choices, initial=Visibility.OFFICE)


class OfferEditForm(OfferForm):
    """Correct an offer: its fields and the version the page showed."""

    expected_version = BoundedIntegerField(widget=forms.HiddenInput)


class NeedEditForm(NeedForm):
    """Correct a need: its fields and the version the page showed."""

    expected_version = BoundedIntegerField(widget=forms.HiddenInput)


class StepForm(StyledForm):
    """One step: the version the page showed and the step's input, prefixed by the step's name
    so that several steps share one page."""

    expected_version = BoundedIntegerField(widget=forms.HiddenInput)

    def inputs(self) -> dict[str, Any]:
        """The step's input, as the action takes it."""
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}


def _need_fields() -> dict[str, forms.Field]:
    return {
        "deal_amount": _money(_("成交金额（元）"), required=True),
        "deal_on": forms.DateField(label=_("成交日期"), widget=forms.DateInput(attrs={"type": "date"})),
        "drop_reason": forms.CharField(
            label=_("终止原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
        ),
    }


def step_form(action: str, data: Any = None, *, version: int | None = None) -> StepForm:
    """The form of step `action`, with the fields the table says it needs."""
    fields = _need_fields()
    form_class = type("StepForm", (StepForm,), {name: fields[name] for name in needs_of(action)})
    form: StepForm = form_class(data, prefix=action, initial={"expected_version": version})
    return form


class WithdrawForm(StyledForm):
    """Withdraw an offer or a need, with the version the page showed."""

    expected_version = BoundedIntegerField(widget=forms.HiddenInput)


class IntroduceForm(StyledForm):
    """Introduce one ranked offer to the need the page shows."""

    offer = BoundedIntegerField(widget=forms.HiddenInput)


class FairForm(StyledForm):
    """Record a matching event."""

    held_on = forms.DateField(label=_("举办日期"), widget=forms.DateInput(attrs={"type": "date"}))
    theme = forms.CharField(label=_("主题"), max_length=200)
    industry_code = forms.CharField(label=_("行业分类代码"), max_length=5, required=False)


def _enterprise_choice(label: Any) -> forms.ModelChoiceField:
    # Searched by name or credit code: a park has too many enterprises for one list.
    return forms.ModelChoiceField(
        label=label,
        queryset=Enterprise.objects.none(),
        widget=PickerSelect("enterprises:pick"),
        error_messages={"invalid_choice": _("请选择您管辖范围内的企业")},
    )


class EnterprisePickingForm(StyledForm):
    """A form whose enterprise fields choose among `enterprises` (those the user may see)."""

    def __init__(self, *args: Any, enterprises: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if (
                isinstance(field, forms.ModelChoiceField)
                and getattr(field.queryset, "model", None) is Enterprise
            ):
                field.queryset = enterprises


class ParticipantForm(EnterprisePickingForm):
    """Invite an enterprise to a matching event, found by name or credit code."""

    enterprise = _enterprise_choice(_("企业名称"))
    role = forms.ChoiceField(label=_("参会身份"), choices=ParticipantRole.choices)
    attended = forms.BooleanField(label=_("已到会"), required=False)


class FairDealForm(EnterprisePickingForm):
    """A deal signed at a matching event between two enterprises found by name."""

    buyer = _enterprise_choice(_("采购方"))
    supplier = _enterprise_choice(_("供应方"))
    subject = forms.CharField(label=_("合作内容"), max_length=200)
    amount = _money(_("签约金额（元）"), required=True)


class PurchaseForm(StyledForm):
    """Record one year's purchases of an enterprise from one supplier."""

    year = BoundedIntegerField(label=_("年度"), min_value=2000, max_value=2100)
    supplier_name = forms.CharField(label=_("供应商名称"), max_length=200)
    supplier_credit_code = forms.CharField(
        label=_("供应商统一社会信用代码"),
        max_length=30,
        required=False,
        help_text=_("供应商不在企业库中时必填"),
    )
    item = forms.CharField(label=_("采购内容"), max_length=200, required=False)
    amount = _money(_("采购金额（元）"), required=True)
    strategic = forms.BooleanField(label=_("战略性新兴产业产品"), required=False)
    affiliated = forms.BooleanField(label=_("供应商为关联企业"), required=False)


class PurchaseEditForm(PurchaseForm):
    """Correct a purchase: its fields and the version the page showed."""

    expected_version = BoundedIntegerField(widget=forms.HiddenInput)


class PurchaseImportForm(StyledForm):
    """An Excel file of invoices: one row per buyer, year and supplier."""

    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class ChainNodeForm(StyledForm):
    """A node of a chain's tree, under one of its nodes or at the root."""

    name = forms.CharField(label=_("环节名称"), max_length=100)
    parent = forms.TypedChoiceField(label=_("上级环节"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, nodes: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["parent"]).choices = [
            ("", _("（根环节）")),
            *((n.pk, n.name) for n in nodes),
        ]


class ChainFirmForm(StyledForm):
    """Place an enterprise (by its credit code or exact name) on a node with its role."""

    node = forms.TypedChoiceField(label=_("环节"), coerce=int)
    enterprise = forms.CharField(label=_("企业名称或统一社会信用代码"), max_length=200)
    role = forms.ChoiceField(label=_("链上角色"), choices=ChainRole.choices, initial=ChainRole.SUPPORTING)

    def __init__(self, *args: Any, nodes: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["node"]).choices = [(n.pk, n.name) for n in nodes]


class CommitteeMemberForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    post = forms.CharField(label=_("党委职务"), max_length=50)
    unit = forms.CharField(label=_("单位及职务"), max_length=200, required=False)


class MeetingForm(StyledForm):
    held_on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    subject = forms.CharField(label=_("会议主题"), max_length=200)
    decisions = forms.CharField(
        label=_("议定事项"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ChainFairForm(StyledForm):
    held_on = forms.DateField(label=_("举办日期"), widget=forms.DateInput(attrs={"type": "date"}))
    theme = forms.CharField(label=_("主题"), max_length=200, required=False)


class SubsidyForm(StyledForm):
    """Enter the year's local-purchase subsidy in a policy's ledger."""

    policy = forms.TypedChoiceField(label=_("政策"), coerce=int)
    year = BoundedIntegerField(label=_("采购年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, policies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["policy"]).choices = [(p.pk, p.title) for p in policies]
