"""Rebuild the finance figures' day cells from the applications and their loans: after rows
were written without the actions (an import, a restored backup), or to check nothing drifted."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from lianqi.finance.cells import mark_all_stale, refresh


class Command(BaseCommand):
    help = "Recount every day's finance figure cells from the applications and their loans."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        marked = mark_all_stale()
        days = refresh()
        self.stdout.write(
            f"marked {marked} day(s), recounted {days} day(s) in {time.perf_counter() - started:.1f} s"
        )
