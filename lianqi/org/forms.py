"""Forms of the organisation pages. They only parse and check input; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import BoundedIntegerField, StyledFormMixin

from .choices import ALLOWED_CHILD_LEVELS, JurisdictionLevel, StaffTier
from .models import Department, Jurisdiction, Staff
from .permissions import jurisdictions_visible
from .queries import assignable_departments, jurisdiction_code_taken
from .validators import (
    normalise_mobile,
    validate_industry_prefixes,
    validate_jurisdiction_code,
    validate_mobile,
)


class _PreparedForm(forms.Form):
    """Calls `prepare_fields` right after the fields exist: the one place where a form narrows
    its choices and querysets to what the user may pick, before anything validates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prepare_fields()

    def prepare_fields(self) -> None:
        pass


class PreparedForm(StyledFormMixin, _PreparedForm):
    pass


class JurisdictionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{'　' * obj.depth}{obj.name}（{obj.code}）"


class DepartmentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.jurisdiction.name} · {obj.name}"


class MobileField(forms.CharField):
    """A mainland mobile number, stored as 11 digits whatever spaces or +86 were typed."""

    default_validators = [validate_mobile]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("手机号"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def to_python(self, value: Any) -> str:
        return normalise_mobile(super().to_python(value) or "")


class JurisdictionCreateForm(PreparedForm):
    code = forms.CharField(label=_("行政区划代码"), max_length=24, validators=[validate_jurisdiction_code])
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    level = forms.ChoiceField(label=_("层级"))

    def __init__(self, *args: Any, parent: Jurisdiction, **kwargs: Any) -> None:
        self.parent = parent
        super().__init__(*args, **kwargs)

    def prepare_fields(self) -> None:
        allowed = ALLOWED_CHILD_LEVELS.get(self.parent.level, ())
        self.fields["level"].choices = [(c, label) for c, label in JurisdictionLevel.choices if c in allowed]  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if jurisdiction_code_taken(code):
            raise ValidationError(_("行政区划代码 %(code)s 已存在"), params={"code": code})
        return code


class DepartmentForm(PreparedForm):
    jurisdiction = JurisdictionChoiceField(label=_("所属辖区"), queryset=Jurisdiction.objects.none())
    name = forms.CharField(label=_("部门名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    order = BoundedIntegerField(label=_("排序"), min_value=0, max_value=32767, initial=100)
    industry_prefixes = forms.CharField(
        label=_("对口行业"),
        max_length=200,
        required=False,
        validators=[validate_industry_prefixes],
        help_text=_("GB/T 4754 行业代码前缀，逗号分隔，例如：C, 38, 39"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, instance: Department | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "jurisdiction": instance.jurisdiction_id,
                    "name": instance.name,
                    "short_name": instance.short_name,
                    "order": instance.order,
                    "industry_prefixes": instance.industry_prefixes,
                    "is_active": instance.is_active,
                },
            )
        self.user, self.instance = user, instance
        super().__init__(*args, **kwargs)

    def prepare_fields(self) -> None:
        if self.instance is not None:
            # A department keeps its jurisdiction: its staff and demands hang on it.
            del self.fields["jurisdiction"]
        else:
            self.fields["jurisdiction"].queryset = jurisdictions_visible(self.user).order_by("path")  # type: ignore[attr-defined]


class StaffForm(PreparedForm):
    jurisdiction = JurisdictionChoiceField(label=_("所属辖区"), queryset=Jurisdiction.objects.none())
    name = forms.CharField(label=_("姓名"), max_length=50)
    department = DepartmentChoiceField(label=_("部门"), queryset=Department.objects.none(), required=False)
    position = forms.CharField(label=_("职务"), max_length=60, required=False)
    tier = forms.ChoiceField(label=_("层级"), choices=StaffTier.choices, initial=StaffTier.STAFF)
    phone = MobileField(required=False)
    is_active = forms.BooleanField(label=_("在岗"), required=False, initial=True)
    left_on = forms.DateField(
        label=_("离岗日期"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any, instance: Staff | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "jurisdiction": instance.jurisdiction_id,
                    "name": instance.name,
                    "department": instance.department_id,
                    "position": instance.position,
                    "tier": instance.tier,
                    "phone": instance.phone,
                    "is_active": instance.is_active,
                    "left_on": instance.left_on,
                },
            )
        self.user, self.instance = user, instance
        super().__init__(*args, **kwargs)

    def prepare_fields(self) -> None:
        if self.instance is not None:
            # Moving a cadre to another jurisdiction would strand their enterprises; it is a
            # handover, not an edit.
            del self.fields["jurisdiction"]
            self.fields["department"].queryset = assignable_departments(self.user, self.instance.jurisdiction)  # type: ignore[attr-defined]
        else:
            self.fields["jurisdiction"].queryset = jurisdictions_visible(self.user).order_by("path")  # type: ignore[attr-defined]
            self.fields["department"].queryset = assignable_departments(self.user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        jurisdiction = data.get("jurisdiction") or (self.instance.jurisdiction if self.instance else None)
        department = data.get("department")
        if (
            jurisdiction is not None
            and department is not None
            and not jurisdiction.path.startswith(department.jurisdiction_path)
        ):
            self.add_error("department", _("该部门不属于所选辖区或其上级辖区"))
        return data


class StaffFilterForm(PreparedForm):
    ACTIVE_CHOICES = (("", _("全部")), ("1", _("在岗")), ("0", _("已离岗")))

    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("姓名或手机号")})
    )
    department = DepartmentChoiceField(
        label=_("部门"), queryset=Department.objects.none(), required=False, empty_label=_("全部部门")
    )
    tier = forms.ChoiceField(
        label=_("层级"), choices=[("", _("全部层级")), *StaffTier.choices], required=False
    )
    active = forms.ChoiceField(label=_("状态"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def prepare_fields(self) -> None:
        self.fields["department"].queryset = assignable_departments(self.user)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `queries.staff_list`; a bad value filters nothing, the others
        still apply."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        active = data.get("active")
        return {
            "query": data.get("q") or "",
            "department": data.get("department"),
            "tier": data.get("tier") or "",
            "active": None if active in (None, "") else active == "1",
        }
