"""Forms of the enterprise's demand pages under its code (营商码): filing a demand, rating a
reply, withdrawing, adding files (confirming the phone is the code page's own,
`lianqi.enterprises.forms.code`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import BoundedIntegerField, MultipleFileField, StyledForm
from lianqi.core.uploads import allowed_suffixes

from ..choices import Satisfaction
from ..models import Category


def _attachments_field(**kwargs: Any) -> MultipleFileField:
    return MultipleFileField(
        label=_("附件"),
        help_text=_("可选多个文件，支持：%(types)s") % {"types": allowed_suffixes()},
        **kwargs,
    )


class DemandCodeForm(StyledForm):
    """A new demand filed by the enterprise itself. `confirm_duplicates` is set by the
    “仍然提交” button once likely duplicates were shown."""

    category = forms.ModelChoiceField(
        label=_("诉求类别"), queryset=Category.objects.none(), empty_label=_("请选择")
    )
    description = forms.CharField(
        label=_("诉求内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写明遇到的问题和希望得到的帮助"),
    )
    attachments = _attachments_field()
    confirm_duplicates = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)  # type: ignore[attr-defined]


class _VersionedForm(StyledForm):
    """A step on a demand, made against the version the page showed."""

    version = BoundedIntegerField(widget=forms.HiddenInput)


_YES_NO = [("1", _("是")), ("0", _("否"))]


def _yes_no(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=_YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect
    )


class RatingForm(_VersionedForm):
    """The enterprise's three answers on a reply (是否联系 / 是否解决 / 满意度)."""

    contacted = _yes_no(_("承办部门是否与贵企业联系"))
    solved = _yes_no(_("问题是否解决"))
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("意见建议"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(_VersionedForm):
    note = forms.CharField(label=_("撤回原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AttachForm(StyledForm):
    attachments = _attachments_field()

    def clean_attachments(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["attachments"]
        if not files:
            raise forms.ValidationError(_("请选择要上传的文件"))
        return files
