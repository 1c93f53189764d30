"""Forms of the tag vocabulary pages: a tag's fields (and, for a new one, whose vocabulary it
joins), and the tag another is merged into."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledForm, StyledModelForm
from lianqi.core.roles import Role, has_role
from lianqi.org.models import Jurisdiction

from ..models import Tag
from ..queries import merge_targets, tag_label

#: The value of the national choice in `TagForm.jurisdiction`.
NATIONAL = "national"


class _TagLabels:
    """Names each tag as `queries.tag_label` does for the user the form is for: a tag of a
    jurisdiction other than theirs shows which one."""

    user: Any = None

    def label_from_instance(self, obj: Any) -> str:
        return tag_label(obj, self.user)


class TagChoiceField(_TagLabels, forms.ModelChoiceField):  # type: ignore[type-arg]
    pass


class TagMultipleChoiceField(_TagLabels, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    pass


class TagForm(StyledModelForm):
    """Name, description and place in lists; for a new tag also whose vocabulary it joins: the
    user's own jurisdiction, or the national one for an administrator. Whether the name is free
    is decided by the action, which holds the lock; its message lands next to the name field."""

    jurisdiction = forms.ChoiceField(label=_("所属辖区"), help_text=_("本辖区及其下级辖区都能看到和使用"))

    class Meta:
        model = Tag
        fields = ["name", "description", "order"]
        help_texts = {"order": _("数字越小越靠前")}

    def __init__(self, *args: Any, user: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            # A tag stays in its vocabulary; the page shows which one it is.
            del self.fields["jurisdiction"]
            return
        choices: list[tuple[str, str]] = []
        own = getattr(user, "jurisdiction", None)
        if own is not None:
            choices.append((str(own.pk), own.name))
        if has_role(user, (Role.ADMIN,)):
            choices.append((NATIONAL, str(_("全国通用（各辖区共用）"))))
        field = self.fields["jurisdiction"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        self._own = own

    def validate_unique(self) -> None:
        # Left to `actions.create_tag` / `update_tag`, which compare names without case and
        # along the jurisdiction's line of the tree.
        pass

    def chosen_jurisdiction(self) -> Jurisdiction | None:
        """The jurisdiction picked for a new tag; None for a national one."""
        value = self.cleaned_data["jurisdiction"]
        return None if value == NATIONAL else self._own


class TagMergeForm(StyledForm):
    """The tag that takes over the enterprises of the one being merged: one the source may merge
    into (`queries.merge_targets`)."""

    target = TagChoiceField(
        label=_("并入标签"),
        queryset=Tag.objects.none(),
        empty_label=_("请选择"),
        error_messages={"invalid_choice": _("所选标签不存在，可能刚被删除或合并")},
        help_text=_("可选全国通用标签，或与本标签同辖区、上级辖区的标签"),
    )

    def __init__(self, *args: Any, source: Tag, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, TagChoiceField)
        field.queryset = merge_targets(user, source)
        field.user = user
