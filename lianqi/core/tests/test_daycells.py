"""Day cells' ranges (`core.daycells`): the marked days of a refresh are read as a few runs of
consecutive days, in Beijing time. The refresh itself is tested through the demand statistics
(`demands/tests/test_stats_cells.py`), whose cells it keeps."""

from __future__ import annotations

import datetime as dt

from lianqi.core.daycells import day_runs, on_days
from lianqi.core.workdays import SHANGHAI


def test_marked_days_are_read_as_runs_of_consecutive_days_whatever_their_order() -> None:
    days = [dt.date(2026, 3, d) for d in (5, 1, 2, 3, 9, 31)] + [dt.date(2026, 4, 1)]
    assert list(day_runs(days)) == [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 3)),
        (dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
        (dt.date(2026, 3, 9), dt.date(2026, 3, 9)),
        (dt.date(2026, 3, 31), dt.date(2026, 4, 1)),
    ]
    assert list(day_runs([])) == []


def test_a_run_of_days_starts_and_ends_at_midnight_in_beijing() -> None:
    condition = on_days("received_at", [dt.date(2026, 1, 1), dt.date(2026, 1, 2)])
    bounds: list[tuple[str, dt.datetime]] = sorted(condition.children)  # type: ignore[arg-type,type-var]
    (field, start), (field2, end) = bounds
    assert (field, field2) == ("received_at__gte", "received_at__lt")
    assert start == dt.datetime(2026, 1, 1, tzinfo=SHANGHAI)
    assert end == dt.datetime(2026, 1, 3, tzinfo=SHANGHAI)
