"""Deliver every notification that is due: once (for cron), or every few seconds as a small
scheduler process (`--loop`)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from lianqi.notifications.tasks import sweep_due


class Command(BaseCommand):
    help = "Deliver due notifications from the outbox (once, or in a loop with --loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep sweeping until stopped.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between sweeps with --loop (default 30)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = max(float(options["interval"]), 1.0)
        while True:
            count = sweep_due(at=timezone.now())
            if count or options["verbosity"] > 1:
                self.stdout.write(f"attempted {count} notification(s)")
            if not options["loop"]:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
