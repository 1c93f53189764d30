"""Template filters for money stored in yuan: `yuan` (¥1,234.50, the ledger) and `wan`
(0.12, 万元 for lists and dashboards). Both format Decimals, never floats."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ..money import wan_text, yuan_text

register = template.Library()


@register.filter
def yuan(value: Decimal | str | None) -> str:
    # `{% firstof … as x %}` hands over the amount as text, "" when there is none.
    return yuan_text(None if value in (None, "") else Decimal(value))


@register.filter
def wan(value: Decimal | str | None) -> str:
    return wan_text(None if value in (None, "") else Decimal(value))
