"""Reload the holiday table from the installed chinese-calendar package."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqi.core import actions


class Command(BaseCommand):
    help = (
        "Load statutory holidays and swapped working days from the chinese-calendar package "
        "(every year it knows, or one year). Idempotent; rows entered by hand are kept unless "
        "--overwrite."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="only this year (may repeat)")
        parser.add_argument(
            "--overwrite", action="store_true", help="make each loaded year exactly the package's"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = actions.load_package(years=options["year"], overwrite=options["overwrite"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        first, last = report.years[0], report.years[-1]
        self.stdout.write(
            f"years {first}-{last}: {report.years_created} years added, {report.created} days added, "
            f"{report.updated} updated, {report.deleted} removed, {report.kept_manual} manual kept"
        )
