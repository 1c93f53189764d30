"""Release the land reservations whose hold ran out: once, for cron, or every few seconds as a
small scheduler process (`--loop`), like the demand sweeps' `run_sweeps`."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from lianqi.land.sweeps import run_all


def _moment(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Release land reservations past their hold (once, or in a loop with --loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep sweeping until stopped.")
        parser.add_argument(
            "--interval", type=float, default=300.0, help="Seconds between sweeps with --loop (default 300)."
        )
        parser.add_argument(
            "--at", type=_moment, default=None, help="Sweep as of this ISO moment instead of now; once only."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = max(float(options["interval"]), 1.0)
        fixed = options["at"]
        while True:
            results = run_all(at=fixed or timezone.now())
            if any(results.values()) or options["verbosity"] > 1:
                self.stdout.write(" ".join(f"{name}={count}" for name, count in results.items()))
            if not options["loop"] or fixed is not None:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
