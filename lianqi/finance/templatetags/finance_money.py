"""Money in fen as the pages show it: `|yuan` (1,234,567.89) and `|wan` (123.46 万元)."""

from __future__ import annotations

from django import template

from ..money import wan_text, yuan_text

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    return yuan_text(fen)


@register.filter
def wan(fen: int | None) -> str:
    return wan_text(fen)
