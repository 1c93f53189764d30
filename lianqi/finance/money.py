"""Money in the finance supermarket: stored as whole fen (分) in integers, so that sums over a
year of loans are exact; typed and shown as yuan with at most two decimals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

#: The largest amount a form or the API takes: ¥100 billion.
MAX_FEN = 100_000_000_000 * 100


def fen_of(yuan: Any) -> int | None:
    """An amount in yuan (a Decimal, or text as typed) as whole fen; None when it is not a
    number or has more than two decimals (a fraction of a fen is never rounded away silently)."""
    try:
        value = Decimal(str(yuan).strip().replace(",", ""))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    fen = value * 100
    if fen != fen.to_integral_value():
        return None
    return int(fen)


def yuan_text(fen: int | None) -> str:
    """Fen as yuan with two decimals and thousands separators: 1,234,567.89."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def wan_text(fen: int | None) -> str:
    """Fen as 万元 with two decimals, as officials read figures (1,234.57)."""
    if fen is None:
        return ""
    return f"{Decimal(fen) / 1_000_000:,.2f}"
