"""The shelf's forms: browsing and searching policies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledForm
from lianqi.org.models import Department

from ..choices import PolicyKind, PolicyLevel

VALIDITY_CHOICES = (
    ("", _("全部")),
    ("in_force", _("现行有效")),
    ("upcoming", _("尚未生效")),
    ("expired", _("已失效")),
)


class PolicyFilterForm(StyledForm):
    """Browse and search: words, level, kind, department and validity on a day."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("政策名称、文号或发文单位")}),
    )
    level = forms.ChoiceField(
        label=_("政策层级"), choices=[("", _("全部层级")), *PolicyLevel.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("政策类型"), choices=[("", _("全部类型")), *PolicyKind.choices], required=False
    )
    department = forms.ModelChoiceField(
        label=_("主管部门"), queryset=Department.objects.none(), required=False, empty_label=_("全部部门")
    )
    validity = forms.ChoiceField(label=_("有效期"), choices=VALIDITY_CHOICES, required=False)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `queries.policy_list`; a bad value filters nothing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            key: data.get(key) for key in ("q", "level", "kind", "department", "validity") if data.get(key)
        }
