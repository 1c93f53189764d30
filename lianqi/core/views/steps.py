"""One workflow step taken from a page, the same in every wing: the step's form checked, the
action called with the version the page showed, a refused or stale step told above the page,
bad input put back next to its field with what was typed, and the object's page shown again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ..actors import acting_user
from ..forms import add_action_errors
from ..workflow import StaleVersion, TransitionNotAllowed


class StepInputs(Protocol):
    """A wing's step form: the version the page showed plus the step's own inputs."""

    cleaned_data: dict[str, Any]

    def is_valid(self) -> bool: ...

    def inputs(self) -> dict[str, Any]: ...


def take_step(
    request: HttpRequest,
    *,
    row: Any,
    subject: str,
    take: Callable[..., Any],
    form: StepInputs,
    label: object,
    page: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """Take the step `take` on `row` (passed to the action as the keyword `subject`) with what
    `form` holds. `page(failed_form)` draws the object's page with the form's errors; `label`
    names the step in the message that says it was done."""
    if not form.is_valid():
        return page(form)
    try:
        take(
            **{subject: row},
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            **form.inputs(),
        )
    except (TransitionNotAllowed, StaleVersion) as refused:
        messages.error(request, refused.message)
    except ValidationError as invalid:
        add_action_errors(form, invalid)  # type: ignore[arg-type]
        return page(form)
    else:
        messages.success(request, _("已完成：%(step)s") % {"step": label})
    return redirect(row.get_absolute_url())
