"""Money as the ledger answers for it: `Decimal` yuan with two decimals (to the fen).

The ledger stores 元; officials read 万元 on lists, dashboards and measures. The rule engine
reckons in the unit its policy states (万元 by default, as the enterprises' statistical figures
are kept), so its amounts become yuan here, once, where they are stored.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
#: Every stored amount fits 18 digits with 2 decimals: the largest 万元 figure the old
#: columns (14, 2) could hold, times 10,000, without loss.
MAX_DIGITS = 18
#: The largest amount a form or the API takes: below ¥10 trillion, 15 significant digits, which
#: SQLite (that may keep a decimal as a float) stores and sums exactly too.
MAX_YUAN = Decimal("9999999999999.99")
#: Yuan per unit a policy may state its benefit in.
YUAN_PER = {"元": Decimal("1"), "万元": Decimal("10000"), "亿元": Decimal("100000000")}
WAN = YUAN_PER["万元"]


def to_fen(value: Decimal) -> Decimal:
    """Rounded half up to the fen, as a voucher would be."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan_of(value: float | Decimal | str | None, unit: str | None = "万元") -> Decimal | None:
    """An amount in `unit` (the rule engine's float, a Decimal or a string) as yuan to the
    fen; None for a missing figure (None or NaN). An unknown unit counts as 万元, the unit
    the rule engine and the enterprises' figures use."""
    if value is None:
        return None
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    return to_fen(amount * YUAN_PER.get(unit or "万元", WAN))


def wan(yuan: Decimal | None) -> Decimal | None:
    """Yuan as 万元, exactly (six decimals at most: a fen is 0.000001 万元)."""
    return None if yuan is None else yuan / WAN


def yuan_text(value: Decimal | None, empty: str = "—") -> str:
    """¥48,602,194.00: the ledger's way, to the fen with thousands separators."""
    if value is None:
        return empty
    return f"¥{to_fen(Decimal(value)):,.2f}"


def wan_text(value: Decimal | None, empty: str = "—") -> str:
    """Yuan shown in 万元 with two decimals and thousands separators (4,860.22)."""
    if value is None:
        return empty
    return f"{to_fen(Decimal(value) / WAN):,.2f}"
