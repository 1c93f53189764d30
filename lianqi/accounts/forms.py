"""Forms of the login and account pages. They parse and check input; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import PickerSelect, StyledFormMixin
from lianqi.core.roles import Role
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.permissions import visible as enterprises_visible
from lianqi.org.forms import JurisdictionChoiceField, MobileField, PreparedForm
from lianqi.org.models import Jurisdiction, Staff
from lianqi.org.permissions import jurisdictions_visible
from lianqi.org.permissions import visible as staff_visible
from lianqi.org.queries import own_staff, staff_picker_label

from .models import User
from .queries import username_taken


class LoginForm(StyledFormMixin, AuthenticationForm):
    """The login form, tuned for phones: no auto-capitalising of usernames, the right
    keyboards and password-manager hints."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {
                "autocomplete": "username",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
            }
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return staff_picker_label(obj)


class EnterpriseChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.credit_code}）"


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """Checkboxes side by side in Tabler's style, wrapping on a phone."""

    template_name = "accounts/widgets/checkbox_group.html"


class UserForm(PreparedForm):
    """Create or edit an account: who it is, what it may do, where and as whom."""

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("登录时使用；字母、数字和 @ . + - _"),
    )
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = MobileField(required=False)
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, widget=CheckboxGroup, required=True
    )
    jurisdiction = JurisdictionChoiceField(
        label=_("所属辖区"),
        queryset=Jurisdiction.objects.none(),
        required=False,
        help_text=_("不选时取所绑定干部或企业的辖区"),
    )
    # Hundreds of cadres and a thousand enterprises: searchable pickers, checked against the
    # scoped querysets `prepare_fields` sets.
    staff = StaffChoiceField(
        label=_("绑定干部"),
        queryset=Staff.objects.none(),
        required=False,
        widget=PickerSelect("org:pick_staff", query="unbound=1"),
        error_messages={"invalid_choice": _("请选择本辖区尚未绑定账号的在岗干部")},
    )
    enterprise = EnterpriseChoiceField(
        label=_("绑定企业"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=PickerSelect("enterprises:pick"),
        error_messages={"invalid_choice": _("请选择本辖区的企业")},
    )
    institution = forms.CharField(label=_("所属金融机构"), max_length=100, required=False)
    password = forms.CharField(
        label=_("初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password_confirm = forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, admin: Any, instance: User | None = None, **kwargs: Any) -> None:
        if instance is not None:
            bound_staff = own_staff(instance)
            kwargs.setdefault(
                "initial",
                {
                    "username": instance.username,
                    "display_name": instance.display_name,
                    "phone": instance.phone,
                    "roles": list(instance.groups.values_list("name", flat=True)),
                    "jurisdiction": instance.jurisdiction_id,
                    "staff": bound_staff.pk if bound_staff else None,
                    "enterprise": instance.enterprise_id,
                    "institution": instance.institution,
                },
            )
        self.admin, self.instance = admin, instance
        super().__init__(*args, **kwargs)

    def prepare_fields(self) -> None:
        admin, instance = self.admin, self.instance
        self.fields["jurisdiction"].queryset = jurisdictions_visible(admin).order_by("path")  # type: ignore[attr-defined]
        staff = staff_visible(admin).filter(is_active=True).select_related("jurisdiction", "department")
        # Only staff without an account (or already bound to this one) can be bound.
        free = Q(user__isnull=True) | Q(user=instance) if instance is not None else Q(user__isnull=True)
        staff = staff.filter(free)
        self.fields["staff"].queryset = staff.order_by("jurisdiction_path", "name")  # type: ignore[attr-defined]
        self.fields["enterprise"].queryset = enterprises_visible(admin).order_by("name")  # type: ignore[attr-defined]
        if instance is not None:
            # The username is the login name people remember and logs refer to: it stays.
            del self.fields["username"]
            del self.fields["password"]
            del self.fields["password_confirm"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if username_taken(username):
            raise forms.ValidationError(_("用户名“%(username)s”已被使用"), params={"username": username})
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "password" in self.fields:
            password, confirm = data.get("password"), data.get("password_confirm")
            if password and confirm and password != confirm:
                self.add_error("password_confirm", _("两次输入的密码不一致"))
            elif password:
                probe = User(
                    username=data.get("username", ""),
                    display_name=data.get("display_name", ""),
                    phone=data.get("phone", ""),
                )
                try:
                    validate_password(password, probe)
                except forms.ValidationError as exc:
                    self.add_error("password", exc)
        return data

    def action_values(self) -> dict[str, Any]:
        """The cleaned values as the keyword arguments of `create_user` / `update_user`."""
        data = dict(self.cleaned_data)
        data.pop("password_confirm", None)
        data["phone"] = data.get("phone") or ""
        data["institution"] = data.get("institution") or ""
        return data


class SetPasswordForm(PreparedForm):
    """The administrator sets a new password for someone who forgot theirs."""

    password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password_confirm = forms.CharField(
        label=_("确认新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, confirm = data.get("password"), data.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("两次输入的密码不一致"))
        elif password:
            try:
                validate_password(password, self.user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data
