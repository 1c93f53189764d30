"""Form helpers: Tabler classes on every widget and an `is-invalid` mark on fields with errors,
so that each error shows next to its field and what the user typed stays in the form; and
`add_action_errors`, which puts an action's refusal on a form; `PickerSelect` for a choice
among hundreds of rows. The calendar's forms are in `workdays`."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.core.validators import MAX_INTEGER, MIN_INTEGER


class BoundedIntegerField(forms.IntegerField):
    """A whole number within `MIN_INTEGER`..`MAX_INTEGER` unless narrower bounds are given:
    the one integer field of every form, so that no form hands the database a number it
    cannot hold."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("min_value") is None:
            kwargs["min_value"] = MIN_INTEGER
        if kwargs.get("max_value") is None:
            kwargs["max_value"] = MAX_INTEGER
        super().__init__(*args, **kwargs)


class StyledFormMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        # Marked after validation, not in __init__: reading `errors` there would validate the
        # form before subclasses narrow their querysets and choices.
        super().full_clean()  # type: ignore[misc]
        for name in self._errors or {}:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files at once (a phone picks several photos)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe), cleaned to a list — empty when
    none was chosen, unless ``required=True``. Type, content and size are checked by the
    action that stores them (`lianqi.core.uploads`), which names the file at fault."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class PickerMixin:
    """A select among hundreds of rows (staff, enterprises, …) that `static/lianqi/pickers.js`
    turns into a searchable picker fed by the endpoint `url_name` (a `core.views.pickers`
    view), with `query` added to its address (a narrower set: `unbound=1`). Only the chosen rows are rendered as options, so a page never lists a park's
    thousand enterprises; without JavaScript it is still a select holding the current value.
    Validation stays with the field's scoped queryset: a row outside it is a field error."""

    allow_multiple_selected: bool
    choices: Any

    def __init__(self, url_name: str, attrs: dict[str, Any] | None = None, query: str = "") -> None:
        super().__init__(attrs)  # type: ignore[call-arg]
        self.url_name, self.query = url_name, query

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)  # type: ignore[misc]
        context["widget"]["attrs"].update(
            {
                "data-picker": reverse(self.url_name) + (f"?{self.query}" if self.query else ""),
                "data-picker-placeholder": str(_("输入名称搜索")),
                "data-picker-empty": str(_("没有找到匹配的结果")),
            }
        )
        return context

    def chosen_choices(self, value: list[str]) -> list[tuple[Any, Any]]:
        """The options to render: the empty one (a single select's "请选择") and the chosen."""
        chosen = [item for item in value if item not in ("", None)]
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:  # plain choices (a filter's): keep the empty and the chosen ones
            return [(key, label) for key, label in self.choices if key == "" or str(key) in chosen]
        field = self.choices.field
        options: list[tuple[Any, Any]] = []
        if field.empty_label is not None and not self.allow_multiple_selected:
            options.append(("", field.empty_label))
        # A tampered value is the field's error to report, not the widget's.
        with contextlib.suppress(TypeError, ValueError, ValidationError):
            options += [self.choices.choice(obj) for obj in queryset.filter(pk__in=chosen)]
        return options

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> Any:
        everything = self.choices
        self.choices = self.chosen_choices(value)
        try:
            return super().optgroups(name, value, attrs)  # type: ignore[misc]
        finally:
            self.choices = everything


class PickerSelect(PickerMixin, forms.Select):
    """A searchable single choice (see `PickerMixin`)."""


class PickerSelectMultiple(PickerMixin, forms.SelectMultiple):
    """A searchable multiple choice (see `PickerMixin`)."""


def add_action_errors(
    form: forms.BaseForm, exc: ValidationError, renames: Mapping[str, str] | None = None
) -> None:
    """Show an action's `ValidationError` on the form: each message next to the field it names
    where the form has that field (after `renames`, for an action's key that the form calls
    otherwise: the action's ``note`` is one form's 解决办法), above the form otherwise. Every
    view that calls an action puts its refusal on the form through this."""
    renames = renames or {}
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            name = renames.get(key, key)
            target = name if name in form.fields else None
            for error in errors:
                for message in error.messages:
                    form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
