"""Form helpers: Tabler classes on every widget and an `is-invalid` mark on fields with errors,
so that each error shows next to its field and what the user typed stays in the form; and
`add_action_errors`, which puts an action's refusal on a form. The calendar's forms are in
`workdays`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

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
