"""What every "rebuild the day cells" command does (`rebuild_statistics`,
`rebuild_finance_figures`, `rebuild_inspection_statistics`): mark every counted day stale with
the app's own marking, recount them, and say how many and how long."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.management.base import BaseCommand


class RebuildCellsCommand(BaseCommand):
    """A command that recounts one app's day cells from its rows: after rows were written
    around the application (a restored backup, rows loaded by SQL), or to check nothing drifted.
    Subclasses name the app's `mark_all` and `refresh`."""

    mark_all: Callable[[], int]
    refresh: Callable[[], int]

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        marked = type(self).mark_all()
        days = type(self).refresh()
        self.stdout.write(
            f"marked {marked} day(s), recounted {days} day(s) in {time.perf_counter() - started:.1f} s"
        )
