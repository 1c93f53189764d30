"""One rule for one subject, condition by condition: the reading used by explanations and by a
rule's own test cases. The engine computes the same results for many subjects at once."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .catalogue import AttributeKind, Catalogue, normalise_industry, years_elapsed
from .model import (
    FALSE,
    TRUE,
    UNKNOWN,
    Benefit,
    Condition,
    Fixed,
    Parameters,
    Percentage,
    Tiered,
)
from .subjects import Profile

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
NEGATED_OP = {
    ">=": "<",
    ">": "<=",
    "<=": ">",
    "<": ">=",
    "==": "!=",
    "!=": "==",
    "has": "lacks",
    "lacks": "has",
}


@dataclass(frozen=True)
class Reading:
    """What one condition says about one subject: the Kleene value, the subject's value that
    was compared (None when not known), the figure's year, and the value compared against."""

    value: int
    used: Any = None
    year: int | None = None
    target: Any = None


def absolute_year(offset: int | None, as_of: dt.date) -> int | None:
    return None if offset is None else as_of.year + offset


def target_value(condition: Condition, parameters: Parameters, as_of: dt.date) -> Any:
    """The value compared against on `as_of` (a parameter's value then; None if it has none)."""
    if condition.parameter is not None:
        return parameters.value_at(condition.parameter, as_of)
    return condition.value


def normalised_codes(condition: Condition, catalogue: Catalogue) -> tuple[str, ...]:
    if catalogue[condition.attribute].kind is AttributeKind.INDUSTRY:
        return tuple(sorted({normalise_industry(code) for code in condition.value}))
    return tuple(sorted({str(code).strip() for code in condition.value}))


def subject_value(
    attribute: str, year: int | None, profile: Profile, catalogue: Catalogue, as_of: dt.date
) -> Any:
    """The subject's value a condition on `attribute` (and `year`) compares; for a date, the
    full years elapsed until `as_of`."""
    kind = catalogue[attribute].kind
    raw = profile.get(attribute)
    if kind is AttributeKind.YEARLY:
        return None if raw is None or year is None else raw.get(year)
    if kind is AttributeKind.DATE:
        return None if raw is None else years_elapsed(raw, as_of)
    return raw


def read_condition(
    condition: Condition, profile: Profile, *, catalogue: Catalogue, parameters: Parameters, as_of: dt.date
) -> Reading:
    year = absolute_year(condition.year, as_of)
    used = subject_value(condition.attribute, year, profile, catalogue, as_of)
    target = target_value(condition, parameters, as_of)
    if used is None or target is None:
        return Reading(UNKNOWN, used, year, target)
    op = condition.op
    if op == "prefix":
        result = any(used.startswith(code) for code in normalised_codes(condition, catalogue))
    elif op == "in":
        result = used in target
    elif op == "has":
        result = target in used
    elif op == "lacks":
        result = target not in used
    else:
        result = COMPARE[op](used, target)
    return Reading(TRUE if result else FALSE, used, year, target)


def benefit_base(benefit: Benefit, profile: Profile, catalogue: Catalogue, as_of: dt.date) -> float | None:
    if isinstance(benefit, Fixed):
        return None
    value = subject_value(benefit.attribute, absolute_year(benefit.year, as_of), profile, catalogue, as_of)
    return None if value is None else float(value)


def benefit_amount(benefit: Benefit, base: float | None) -> float | None:
    """The amount for an eligible subject whose base figure is `base` (None: not known)."""
    if isinstance(benefit, Fixed):
        return float(benefit.amount)
    if base is None:
        return None
    if isinstance(benefit, Tiered):
        amount = 0.0
        for bracket in benefit.brackets:
            if base >= bracket.start:
                amount = float(bracket.amount)
        return amount
    assert isinstance(benefit, Percentage)
    amount = max(base * benefit.rate / 100, 0.0)  # a negative base earns nothing, not a charge
    return amount if benefit.cap is None else min(amount, float(benefit.cap))
