"""Figures as the land pages show them: `|wan` (yuan as 万元, two decimals)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

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
