"""Forms of the tag vocabulary pages: a tag's fields, and the tag another is merged into."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledForm, StyledModelForm

from ..models import Tag


class TagForm(StyledModelForm):
    """Name, description and place in lists. Whether the name is free is decided by the action,
    which holds the lock; its message lands next to the name field."""

    class Meta:
        model = Tag
        fields = ["name", "description", "order"]
        help_texts = {"order": _("数字越小越靠前")}

    def validate_unique(self) -> None:
        # Left to `actions.create_tag` / `update_tag`, which compare names without case.
        pass


class TagMergeForm(StyledForm):
    """The tag that takes over the enterprises of the one being merged."""

    target = forms.ModelChoiceField(
        label=_("并入标签"),
        queryset=Tag.objects.none(),
        empty_label=_("请选择"),
        error_messages={"invalid_choice": _("所选标签不存在，可能刚被删除或合并")},
    )

    def __init__(self, *args: Any, source: Tag, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Tag.objects.exclude(pk=source.pk)
