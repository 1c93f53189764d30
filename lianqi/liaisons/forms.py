"""Forms of the liaison pages. Staff choices are limited to the user's jurisdiction and show
each member's current load, so that whoever assigns sees who is already busy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import BoundedIntegerField, PickerSelect, StyledForm
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Staff

from . import rules
from .queries import staff_choices, staff_label

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return staff_label(obj)


def _staff_field(label: Any = None, required: bool = True) -> StaffChoiceField:
    return StaffChoiceField(
        label=label or _("联企干部"),
        queryset=Staff.objects.none(),
        required=required,
        empty_label=_("请选择干部"),
        error_messages={"invalid_choice": _("请选择本辖区在岗的干部")},
        # A park has hundreds of cadres: a searchable picker over the scoped queryset below.
        widget=PickerSelect("liaisons:pick"),
    )


class AssignForm(StyledForm):
    staff = _staff_field()
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, exclude: Staff | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = staff_choices(user)
        if exclude is not None:
            queryset = queryset.exclude(pk=exclude.pk)
        self.fields["staff"].queryset = queryset  # type: ignore[attr-defined]


class BulkAssignForm(AssignForm):
    SCOPE_SELECTED = "selected"
    SCOPE_ALL = "all"

    scope = forms.ChoiceField(
        label=_("范围"),
        choices=[(SCOPE_SELECTED, _("勾选的企业")), (SCOPE_ALL, _("全部符合筛选条件的企业"))],
        initial=SCOPE_SELECTED,
        widget=forms.RadioSelect,
    )
    ids = forms.ModelMultipleChoiceField(
        label=_("企业"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
        error_messages={"invalid_choice": _("所选企业不在您的管辖范围内")},
    )
    expected = BoundedIntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, enterprises: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["ids"].queryset = enterprises  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == self.SCOPE_SELECTED and not data.get("ids") and "ids" not in self.errors:
            self.add_error("ids", _("请至少勾选一家企业，或选择“全部符合筛选条件的企业”"))
        return data


class RulesForm(StyledForm):
    only_uncovered = forms.BooleanField(label=_("只分配尚无在岗联企干部的企业"), required=False, initial=True)
    leader_quota = BoundedIntegerField(
        label=_("每位园区领导联系的规上企业数（上限）"),
        min_value=0,
        max_value=50,
        initial=rules.DEFAULT_LEADER_QUOTA,
        help_text=_("规模最大的规上企业由园区领导联系，其余按行业分给对口部门"),
    )


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件"))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB"))
        return upload


class HandoverForm(StyledForm):
    MODE_ONE = "one"
    MODE_SPREAD = "spread"

    mode = forms.ChoiceField(
        label=_("移交方式"),
        choices=[
            (MODE_ONE, _("全部移交给一名干部")),
            (MODE_SPREAD, _("按负载分给本部门其他干部")),
        ],
        initial=MODE_SPREAD,
        widget=forms.RadioSelect,
    )
    successor = _staff_field(label=_("接替干部"), required=False)
    left_on = forms.DateField(
        label=_("离岗日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("原因"), max_length=100, required=False)

    def __init__(self, *args: Any, user: Any, departing: Staff, **kwargs: Any) -> None:
        # A member already marked as left keeps the date they left on.
        kwargs.setdefault("initial", {"left_on": departing.left_on or timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = staff_choices(user).exclude(pk=departing.pk)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == self.MODE_ONE and not data.get("successor") and "successor" not in self.errors:
            self.add_error("successor", _("请选择接替的干部"))
        return data
