"""The form of demand intake: who may file for which enterprise is decided by
`permissions.intake_mode` and `intake_enterprises`, the channel here from the mode; the action
`submit_demand` decides everything else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import MultipleFileField, StyledForm
from lianqi.enterprises.models import Enterprise

from ..choices import Channel
from ..models import Category
from ..permissions import IntakeMode
from ..queries import PICKER_SIZE

#: Channels through which the service office registers a demand it received.
OFFICE_CHANNELS = (Channel.HOTLINE, Channel.ROUNDTABLE, Channel.DISPATCH_MEETING, Channel.LETTER)


class EnterpriseChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An enterprise shown by its name alone (the picker's search covers codes and addresses)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class DemandIntakeForm(StyledForm):
    """A new demand. `enterprises` is what the user may file for (already scoped); an
    enterprise outside it is a field error, never a 500."""

    enterprise = EnterpriseChoiceField(
        label=_("企业"),
        queryset=Enterprise.objects.none(),
        error_messages={
            "invalid_choice": _("该企业不在您的服务范围内，请重新选择"),
            "required": _("请选择企业"),
        },
    )
    channel = forms.ChoiceField(label=_("来源渠道"), choices=[(c.value, c.label) for c in OFFICE_CHANNELS])
    category = forms.ModelChoiceField(
        label=_("诉求类别"),
        queryset=Category.objects.filter(is_active=True),
        error_messages={"required": _("请选择诉求类别"), "invalid_choice": _("请选择有效的诉求类别")},
    )
    description = forms.CharField(
        label=_("诉求内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写诉求内容")},
    )
    attachments = MultipleFileField(label=_("附件"), help_text=_("可多选；支持图片、PDF、Word、Excel"))
    solved_on_spot = forms.BooleanField(label=_("当即解决"), required=False)
    solved_on_spot_note = forms.CharField(
        label=_("解决办法"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm_duplicate = forms.BooleanField(label=_("仍然提交"), required=False)

    def __init__(self, *args: Any, mode: str, enterprises: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mode = mode
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = enterprises.order_by("name")
        self.fields["category"].queryset = Category.objects.filter(is_active=True)  # type: ignore[attr-defined]
        if mode != IntakeMode.OFFICE:
            # The channel follows from who files: a liaison on a visit, an enterprise itself.
            del self.fields["channel"]
        if mode == IntakeMode.ENTERPRISE:
            del self.fields["solved_on_spot"]
            del self.fields["solved_on_spot_note"]
            field.widget = forms.HiddenInput()
        if mode == IntakeMode.OFFICE:
            self._limit_picker(field, enterprises)

    def _limit_picker(self, field: forms.ModelChoiceField, enterprises: QuerySet[Enterprise]) -> None:  # type: ignore[type-arg]
        # A park has a thousand enterprises: the select offers a short list plus the chosen one,
        # and the search box above it (htmx) replaces the options; validation still uses the
        # whole scoped queryset.
        chosen = self.data.get("enterprise") if self.is_bound else self.initial.get("enterprise")
        chosen_pk = getattr(chosen, "pk", chosen)
        options = list(enterprises.order_by("name").values_list("pk", "name")[:PICKER_SIZE])
        if chosen_pk and str(chosen_pk) not in {str(pk) for pk, _name in options}:
            extra = (
                enterprises.filter(pk=chosen_pk).values_list("pk", "name") if str(chosen_pk).isdigit() else []
            )
            options = [*extra, *options]
        field.widget.choices = [("", _("请选择或搜索企业")), *options]  # type: ignore[attr-defined]

    def channel_value(self) -> str:
        if self.mode == IntakeMode.LIAISON:
            return Channel.LIAISON
        if self.mode == IntakeMode.ENTERPRISE:
            return Channel.ENTERPRISE_ACCOUNT
        return str(self.cleaned_data["channel"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("solved_on_spot"):
            note = (cleaned.get("solved_on_spot_note") or "").strip()
            if not note:
                self.add_error("solved_on_spot_note", _("勾选“当即解决”时请填写解决办法"))
            cleaned["solved_on_spot_note"] = note
        else:
            cleaned["solved_on_spot_note"] = ""
        return cleaned
