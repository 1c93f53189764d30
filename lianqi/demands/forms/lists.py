"""The office board's bulk assignment form (批量交办): which demands, to which department, with
which working-day limit — or each by its category's default routing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core import workdays
from lianqi.core.forms import BoundedIntegerField, StyledForm
from lianqi.org.models import Department

from ..queries import departments_for


class BulkAssignForm(StyledForm):
    """Department and limit are required unless "by category default" is ticked; the versions
    the page showed come as `v<pk>` fields so a demand changed since is refused, not
    overwritten."""

    demands = forms.TypedMultipleChoiceField(
        label=_("诉求"),
        coerce=int,
        error_messages={"required": _("请勾选要交办的诉求")},
    )
    department = forms.ModelChoiceField(
        label=_("牵头部门"), queryset=Department.objects.none(), required=False, empty_label=_("请选择")
    )
    workdays_limit = BoundedIntegerField(
        label=_("答复时限（工作日）"), min_value=1, max_value=workdays.MAX_WORKDAYS, required=False
    )
    use_default = forms.BooleanField(label=_("按类别默认分办"), required=False)

    def __init__(self, *args: Any, user: Any, choices: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department_field = self.fields["department"]
        assert isinstance(department_field, forms.ModelChoiceField)
        department_field.queryset = departments_for(user)
        # Any id is accepted here; the view loads only what the user may see and reports the rest.
        data = self.data.getlist("demands") if hasattr(self.data, "getlist") else []
        ids = choices if choices is not None else data
        demands_field = self.fields["demands"]
        assert isinstance(demands_field, forms.TypedMultipleChoiceField)
        demands_field.choices = [(str(i), str(i)) for i in ids]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("use_default"):
            if not cleaned.get("department") and "department" not in self.errors:
                self.add_error("department", _("请选择牵头部门，或勾选“按类别默认分办”"))
            if not cleaned.get("workdays_limit") and "workdays_limit" not in self.errors:
                self.add_error("workdays_limit", _("请填写答复时限（工作日）"))
        return cleaned

    def version_of(self, pk: int) -> int | None:
        """The version of demand `pk` the page showed, or None when missing or garbled."""
        raw = self.data.get(f"v{pk}", "")
        try:
            return int(raw)
        except (TypeError, ValueError):
            return None
