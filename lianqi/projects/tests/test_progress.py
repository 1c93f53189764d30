"""The progress engine on its own: completion to the hundredth, slippage in days, a project's
status, dependency circles and the battle map's bars."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .. import progress
from ..progress import MilestoneDates


def test_completion_is_rounded_half_up_to_the_hundredth() -> None:
    # Seed 003: ¥2.09bn done of ¥2.329bn planned.
    assert progress.completion(Decimal("2090000000"), Decimal("2329000000")) == Decimal("89.74")
    assert progress.completion(Decimal("1"), Decimal("8")) == Decimal("12.50")
    assert progress.completion(Decimal("0.01"), Decimal("0")) is None


def test_slippage_counts_days_past_the_planned_end() -> None:
    late_open = MilestoneDates(1, dt.date(2025, 5, 31))
    assert progress.slippage(late_open, dt.date(2025, 5, 31)) == 0
    assert progress.slippage(late_open, dt.date(2025, 6, 16)) == 16
    finished_late = MilestoneDates(2, dt.date(2025, 5, 31), dt.date(2025, 6, 3))
    assert progress.slippage(finished_late, dt.date(2025, 12, 1)) == 3
    finished_early = MilestoneDates(3, dt.date(2025, 5, 31), dt.date(2025, 5, 1))
    assert progress.slippage(finished_early, dt.date(2025, 12, 1)) == 0


def test_status_slipped_before_behind_before_on_track() -> None:
    today = dt.date(2025, 7, 1)  # half the year gone
    late = [MilestoneDates(1, dt.date(2025, 6, 1))]

    def status(milestones: list[MilestoneDates], done: str, finished: bool = False) -> str:
        return progress.project_status(
            milestones=milestones,
            year_plan=Decimal("100"),
            year_done=Decimal(done),
            today=today,
            finished=finished,
        )

    assert status(late, "100") == progress.SLIPPED
    assert status([], "40") == progress.BEHIND
    assert status([], "46") == progress.ON_TRACK
    assert status(late, "0", finished=True) == progress.DONE


def test_a_dependency_circle_is_found() -> None:
    assert progress.dependency_cycle({1: 1}, 1)
    assert progress.dependency_cycle({1: 2, 2: 3, 3: 1}, 1)
    assert not progress.dependency_cycle({1: 2, 2: 3, 3: None}, 1)
    assert not progress.dependency_cycle({1: 2, 2: 3, 3: 2}, 1)


def test_the_battle_map_places_bars_on_one_scale() -> None:
    rows = [
        (MilestoneDates(1, dt.date(2025, 1, 10)), dt.date(2025, 1, 1), dt.date(2025, 1, 1)),
        (MilestoneDates(2, dt.date(2025, 1, 20)), dt.date(2025, 1, 11), None),
    ]
    first, last, bars = progress.battle_map(rows, dt.date(2025, 1, 15))
    assert (first, last) == (dt.date(2025, 1, 1), dt.date(2025, 1, 20))
    assert bars[0].planned_left == 0 and bars[1].planned_left == 50
    assert bars[0].slipped_days == 5 and bars[0].actual_width is not None
    assert bars[1].actual_left is None and bars[1].slipped_days == 0
