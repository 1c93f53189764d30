"""The attraction funnel on its own: how many reached each stage, conversion, dwell time, and the
same-year rule (当年签约、当年落地、当年投产)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..pipeline import LeadDates, funnel, in_order, reached, same_year

D = dt.date


def lead(*days: dt.date | None, dropped: bool = False) -> LeadDates:
    return LeadDates(tuple(days) + (None,) * (4 - len(days)), dropped=dropped)


def test_the_funnel_counts_conversion_and_dwell() -> None:
    leads = [
        lead(D(2025, 1, 1), D(2025, 1, 11), D(2025, 2, 10), D(2025, 3, 1)),
        lead(D(2025, 1, 1), D(2025, 1, 21), D(2025, 3, 1)),
        lead(D(2025, 1, 1), D(2025, 1, 5), dropped=True),
        lead(D(2025, 2, 1)),
    ]
    stages = funnel(leads, 4)
    assert [s.reached for s in stages] == [4, 3, 2, 1]
    assert [s.conversion for s in stages] == [Decimal("75.0"), Decimal("66.7"), Decimal("50.0"), None]
    # Lead → talks: 10, 20 and 4 days; talks → signed: 30 and 39 days.
    assert stages[0].dwell_days == Decimal("11.3")
    assert stages[1].dwell_days == Decimal("34.5")
    assert stages[3].dwell_days is None


def test_a_skipped_stage_counts_as_passed_without_dwell() -> None:
    signed_at_once = lead(D(2025, 1, 1), None, D(2025, 1, 15))
    stages = funnel([signed_at_once], 4)
    assert [s.reached for s in stages] == [1, 1, 1, 0]
    assert stages[0].dwell_days == Decimal("14.0") and stages[1].dwell_days is None
    assert reached(signed_at_once) == 2


def test_same_year_needs_signing_land_and_production_in_one_year() -> None:
    assert same_year(D(2025, 2, 1), D(2025, 4, 1), D(2025, 11, 30)) == 2025
    assert same_year(D(2024, 12, 1), D(2025, 4, 1), D(2025, 11, 30)) is None
    assert same_year(D(2025, 2, 1), D(2025, 4, 1), None) is None


def test_dates_out_of_order_are_found() -> None:
    assert in_order([D(2025, 1, 1), None, D(2025, 1, 3)]) is None
    assert in_order([D(2025, 1, 5), D(2025, 1, 3)]) == 1
