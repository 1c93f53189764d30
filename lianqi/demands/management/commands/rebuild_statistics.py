"""Rebuild the demand statistics' day cells from the demands: after demands were written
without the actions (an import, a restored backup), or to check nothing has drifted."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from lianqi.demands.statistics import mark_all_stale, refresh


class Command(BaseCommand):
    help = "Recount every day's demand statistics cells from the demands and their events."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        marked = mark_all_stale()
        days = refresh()
        self.stdout.write(
            f"marked {marked} day(s), recounted {days} day(s) in {time.perf_counter() - started:.1f} s"
        )
