"""Figures as the land pages show them: `|wan` (yuan as 万元, two decimals), `|figure`, and
`|reason` (a selection reason in the page's language)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def wan(yuan: Any) -> str:
    if yuan is None or yuan == "":
        return ""
    return f"{Decimal(yuan) / 10000:,.2f}"


@register.filter
def figure(value: Any) -> str:
    """A stored figure without trailing zeros (2.50 → 2.5), or — when absent."""
    if value is None or value == "":
        return "—"
    text = f"{Decimal(value):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def reason(check: Any) -> str:
    """A selection reason (`selection.Check`) in the page's language: the engine gives message
    templates and their figures, gettext gives the words."""
    return str(check.render(gettext))
