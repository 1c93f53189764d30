"""The forms of this wing's pages: registering an item, and the form of each step, built from
what the workflow table says the step needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledForm

from .workflow import needs_of


class LandForm(StyledForm):
    """Register an item: its title (the enterprise is the one whose file it was opened from)."""

    title = forms.CharField(label=_("标题"), max_length=200)


def _need_fields() -> dict[str, forms.Field]:
    """A form field for each input a step of the table may need (its `needs` name them)."""
    return {
        "note": forms.CharField(
            label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
        ),
        "outcome": forms.CharField(
            label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
        ),
    }


class StepForm(StyledForm):
    """One step: the version the page showed (a step based on a stale page is refused) and the
    step's input, prefixed by the step's name so that several steps share one page."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def inputs(self) -> dict[str, Any]:
        """The step's input, as the action takes it."""
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}


def step_form(action: str, data: Any = None, *, version: int | None = None) -> StepForm:
    """The form of step `action`, with the fields the table says it needs."""
    fields = _need_fields()
    form_class = type("StepForm", (StepForm,), {name: fields[name] for name in needs_of(action)})
    form: StepForm = form_class(data, prefix=action, initial={"expected_version": version})
    return form
