"""What the project pages share: running an action from a form, so that a refused or stale write
is told above the page and bad input is shown next to its field with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from lianqi.core.forms import add_action_errors
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed


def run(request: HttpRequest, form: forms.Form, act: Callable[[], Any], done: str) -> Any:
    """Call `act` for a valid `form`: its result, or None when the input or the action was refused
    (the form then carries the errors, or the page a message)."""
    if not form.is_valid():
        return None
    try:
        result = act()
    except (TransitionNotAllowed, StaleVersion) as refused:
        messages.error(request, refused.message)
        return None
    except ValidationError as invalid:
        add_action_errors(form, invalid)
        return None
    messages.success(request, done)
    return result
