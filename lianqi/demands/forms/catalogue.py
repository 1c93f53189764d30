"""Forms of the category catalogue. They only parse input; the ranges and the uniqueness of a
name are checked by `actions.catalogue`, and shown next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import BoundedIntegerField, StyledForm
from lianqi.org.models import Department, Jurisdiction

from ..actions.catalogue import MAX_DEADLINE, MAX_ORDER, MIN_DEADLINE, NAME_LENGTH

_INTEGER = {"invalid": _("请输入整数")}


def _deadline_field(required: bool, label: Any, help_text: Any = "") -> forms.IntegerField:
    return BoundedIntegerField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={**_INTEGER, "required": _("请填写答复时限")},
        widget=forms.NumberInput(attrs={"min": MIN_DEADLINE, "max": MAX_DEADLINE, "inputmode": "numeric"}),
    )


class CategoryForm(StyledForm):
    """A category of the shared catalogue."""

    name = forms.CharField(
        label=_("名称"), max_length=NAME_LENGTH, error_messages={"required": _("请填写类别名称")}
    )
    deadline_workdays = _deadline_field(True, _("默认答复时限（工作日）"), _("1 至 60 个工作日"))
    order = BoundedIntegerField(
        label=_("排序"),
        initial=100,
        help_text=_("数字小的排在前面"),
        error_messages={**_INTEGER, "required": _("请填写排序")},
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_ORDER}),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class DepartmentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A department of the user's own jurisdiction, shown by its name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RoutingForm(StyledForm):
    """The user's jurisdiction's routing of one category: the default lead department (empty
    removes the routing) and an optional reply deadline of its own."""

    department = DepartmentChoiceField(
        label=_("默认牵头部门"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("（不设置，由营商办逐件交办）"),
        error_messages={"invalid_choice": _("该部门不属于本辖区或已停用")},
    )
    deadline_workdays = _deadline_field(False, _("答复时限（工作日）"), _("留空则使用类别的默认时限"))

    def __init__(self, *args: Any, jurisdiction: Jurisdiction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Department.objects.filter(jurisdiction=jurisdiction, is_active=True).order_by(
            "order", "name"
        )
