"""Template filters of the market's pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    """A fraction as a percentage to two places (0.4123 → 41.23%); a dash without a value."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value) * 100:.2f}%"
