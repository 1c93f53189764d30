"""manage.py demo [--reset] [--scale S] [--seed N] — build the demo park and print its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqi.demo.builder import DemoExistsError, build_demo, demo_exists, format_logins, wipe_database


class Command(BaseCommand):
    help = (
        "Build the demo park (湘潭市, three parks, ~1,500 enterprises, 27 departments, ~600 staff) "
        "and print one login per role. --reset drops every table of the database first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="drop every table of the configured database, migrate, then build (destroys all data)",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="size relative to seed 001 (default 1.0)"
        )
        parser.add_argument("--seed", type=int, default=2022, help="random seed (default 2022)")

    def handle(self, *args: Any, reset: bool, scale: float, seed: int, **options: Any) -> None:
        if scale <= 0 or scale > 20:
            raise CommandError("--scale must be above 0 and at most 20")
        if reset:
            self.stdout.write("Dropping every table and migrating again…")
            wipe_database()
        elif demo_exists():
            raise CommandError("The demo park already exists; use --reset to build it again.")
        self.stdout.write(f"Building the demo park (scale {scale:g}, seed {seed})…")
        try:
            summary = build_demo(scale=scale, seed=seed)
        except DemoExistsError as exc:
            raise CommandError(str(exc)) from exc
        for park, counts in summary.parks.items():
            total = sum(counts.values())
            detail = ", ".join(f"{kind} {n}" for kind, n in counts.items())
            self.stdout.write(f"  {park}: {total} enterprises ({detail})")
        self.stdout.write(
            f"  {summary.departments} departments, {summary.staff} staff, "
            f"{summary.covered} active enterprises covered by a liaison"
        )
        if summary.demands is not None:
            for line in summary.demands.lines():
                self.stdout.write(line)
        if summary.policies is not None:
            for line in summary.policies.lines():
                self.stdout.write(line)
        for line in summary.finance.lines() if summary.finance is not None else ():
            self.stdout.write(line)
        if not summary.industry_classes_loaded:
            self.stdout.write("  (GB/T 4754 classes not loaded: enterprises carry division codes)")
        self.stdout.write(self.style.SUCCESS(f"Done in {summary.seconds:.1f} s.\n"))
        self.stdout.write(format_logins(summary.logins))
