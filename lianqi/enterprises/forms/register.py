"""Forms of the register's own pages: an enterprise's fields, a year's figures, a contact. They
only check and convert what was typed; the writes go through `lianqi.enterprises.actions`."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import BoundedIntegerField, PickerSelect, StyledForm, StyledFormMixin
from lianqi.core.scoping import scope_paths
from lianqi.core.validators import visible_text
from lianqi.org.models import Jurisdiction, Staff

from .. import creditcode
from ..actions import CONTACT_FIELDS, EDITABLE_FIELDS, YEAR_FIGURE_FIELDS
from ..choices import EnterpriseKind, EnterpriseStatus
from ..models import Contact, Enterprise, Industry, Tag, YearFigure
from ..queries import tags_in_order
from ..validators import (
    EMPLOYEES_VALIDATORS,
    FOUNDED_ON_VALIDATORS,
    NAME_VALIDATORS,
    REGISTERED_CAPITAL_VALIDATORS,
    credit_code_message,
)
from .tags import TagMultipleChoiceField

#: "C3831", "3831", "38 电气机械…" and "C" are all ways a clerk writes an industry.
_INDUSTRY_INPUT = re.compile(r"^\s*([A-Za-z]?)(\d{0,4})(?!\d)")


def jurisdictions_for(user: Any) -> QuerySet[Jurisdiction]:
    """The jurisdictions a user may file an enterprise under: their own subtree."""
    paths = scope_paths(user)
    queryset = Jurisdiction.objects.order_by("path")
    if paths is None:
        return queryset
    if not paths:
        return queryset.none()
    return queryset.filter(path__startswith=paths[0])


def staff_for(user: Any) -> QuerySet[Staff]:
    """Active staff inside the user's jurisdiction, who may be named liaison."""
    paths = scope_paths(user)
    queryset = Staff.objects.filter(is_active=True).select_related("department").order_by("name")
    if paths is None:
        return queryset
    if not paths:
        return queryset.none()
    return queryset.filter(jurisdiction_path__startswith=paths[0])


def resolve_industry(raw: str) -> Industry:
    """Find the industry a clerk typed. A group or class code that is not loaded (the park has
    not imported the full table) is refused with the division it belongs to as a suggestion."""
    match = _INDUSTRY_INPUT.match(raw or "")
    letter, digits = (match.group(1).upper(), match.group(2)) if match else ("", "")
    code = digits or letter
    if not code:
        raise forms.ValidationError(_("请填写行业代码，例如 C 或 38 或 3831"))
    found = Industry.objects.filter(code=code).first()
    if found is not None:
        return found
    if len(digits) in (3, 4):
        division = Industry.objects.filter(code=digits[:2]).first()
        if division is not None:
            raise forms.ValidationError(
                _("行业代码“%(code)s”不在已导入的行业表中（完整行业表尚未导入），可先选择大类“%(division)s”")
                % {"code": code, "division": division}
            )
    raise forms.ValidationError(_("没有行业代码为“%(code)s”的行业") % {"code": code})


class IndustryInput(forms.TextInput):
    """A text box with the loaded industries as suggestions (a datalist)."""

    template_name = "enterprises/widget_industry_input.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["options"] = list(Industry.objects.order_by("code").values_list("code", "name"))
        context["widget"]["list_id"] = f"{context['widget']['attrs'].get('id', name)}-options"
        return context


class _EnterpriseFields(forms.Form):
    """The fields of `EnterpriseForm`. Its querysets are narrowed to the user here, below
    `StyledFormMixin`, because that mixin reads the form's errors as soon as it is built."""

    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=40, help_text=_("18位，最后一位为校验码")
    )
    name = forms.CharField(label=_("企业名称"), max_length=200, validators=NAME_VALIDATORS)
    kind = forms.ChoiceField(label=_("主体类型"), choices=EnterpriseKind.choices)
    status = forms.ChoiceField(
        label=_("状态"), choices=EnterpriseStatus.choices, initial=EnterpriseStatus.ACTIVE
    )
    industry = forms.CharField(
        label=_("所属行业"),
        max_length=120,
        widget=IndustryInput(),
        help_text=_("填写或选择国民经济行业代码：门类字母、大类（2位）、中类（3位）或小类（4位）"),
    )
    jurisdiction = forms.ModelChoiceField(label=_("辖区"), queryset=Jurisdiction.objects.none())
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    founded_on = forms.DateField(
        label=_("成立日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=FOUNDED_ON_VALIDATORS,
    )
    registered_capital = forms.DecimalField(
        label=_("注册资本（万元）"),
        max_digits=14,
        decimal_places=2,
        required=False,
        validators=REGISTERED_CAPITAL_VALIDATORS,
    )
    employees = BoundedIntegerField(label=_("从业人数"), required=False, validators=EMPLOYEES_VALIDATORS)
    tags = TagMultipleChoiceField(
        label=_("标签"),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("全国通用标签和本辖区、上级辖区的标签；其他园区的标签不能选用"),
        error_messages={"invalid_choice": _("所选标签不存在或不在您的管辖范围内")},
    )
    liaison = forms.ModelChoiceField(
        label=_("联企干部"),
        queryset=Staff.objects.none(),
        required=False,
        help_text=_("建档时即指定专属服务员，企业从第一天起就有人联系"),
        widget=PickerSelect("org:pick_staff"),
        error_messages={"invalid_choice": _("请选择本辖区在岗的干部")},
    )

    def __init__(self, *args: Any, user: Any, instance: Enterprise | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "kind": instance.kind,
                "status": instance.status,
                "industry": instance.industry_id,
                "jurisdiction": instance.jurisdiction_id,
                "legal_representative": instance.legal_representative,
                "address": instance.address,
                "founded_on": instance.founded_on,
                "registered_capital": instance.registered_capital,
                "employees": instance.employees,
                "tags": list(instance.tags.all()),
            }
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions_for(user)  # type: ignore[attr-defined]
        self.fields["liaison"].queryset = staff_for(user)  # type: ignore[attr-defined]
        # The tags the user sees; whether they fit the enterprise's jurisdiction is the action's
        # check (`Tag.applies_to`), whose message lands next to this field.
        tags = self.fields["tags"]
        assert isinstance(tags, TagMultipleChoiceField)
        tags.queryset = tags_in_order(user)
        tags.user = user
        if instance is not None:
            # The identity and the liaison have their own pages and actions.
            del self.fields["credit_code"]
            del self.fields["liaison"]


class EnterpriseForm(StyledFormMixin, _EnterpriseFields):
    """Create or edit an enterprise. The credit code is asked for only on creation: an
    enterprise's identity does not change."""

    def clean_credit_code(self) -> str:
        value = creditcode.normalise(self.cleaned_data["credit_code"])
        message = credit_code_message(value)
        if message:
            raise forms.ValidationError(message)
        if Enterprise.objects.filter(credit_code=value).exists():
            raise forms.ValidationError(
                _("统一社会信用代码 %(code)s 已经登记过，不能重复建档") % {"code": value}
            )
        return value

    def clean_name(self) -> str:
        return visible_text(self.cleaned_data["name"])

    def clean_industry(self) -> Industry:
        return resolve_industry(self.cleaned_data["industry"])

    def values(self) -> dict[str, Any]:
        """The fields `create_enterprise` / `update_enterprise` take as `values`."""
        return {key: self.cleaned_data[key] for key in EDITABLE_FIELDS}


class YearFigureForm(StyledForm):
    """One year's figures of an enterprise, in 万元."""

    year = BoundedIntegerField(label=_("年度"), min_value=1949, max_value=2100)
    output_value = forms.DecimalField(
        label=_("产值（万元）"), max_digits=14, decimal_places=2, required=False
    )
    revenue = forms.DecimalField(label=_("营业收入（万元）"), max_digits=14, decimal_places=2, required=False)
    tax = forms.DecimalField(label=_("税收（万元）"), max_digits=14, decimal_places=2, required=False)
    rd_spending = forms.DecimalField(
        label=_("研发投入（万元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )

    @classmethod
    def for_figure(cls, figure: YearFigure, **kwargs: Any) -> YearFigureForm:
        initial = {name: getattr(figure, name) for name in ("year", *YEAR_FIGURE_FIELDS)}
        return cls(initial=initial, auto_id=f"id_year{figure.year}_%s", **kwargs)

    def values(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in YEAR_FIGURE_FIELDS}


_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")


class ContactForm(StyledForm):
    """A person at the enterprise the park talks to."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务"), max_length=60, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    is_primary = forms.BooleanField(label=_("主要联系人"), required=False)

    @classmethod
    def for_contact(cls, contact: Contact, **kwargs: Any) -> ContactForm:
        initial = {name: getattr(contact, name) for name in CONTACT_FIELDS}
        return cls(initial=initial, auto_id=f"id_contact{contact.pk}_%s", **kwargs)

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and not _PHONE.match(value):
            raise forms.ValidationError(_("电话号码只能包含数字、空格、+、-和括号，例如 13800000000"))
        return value

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
