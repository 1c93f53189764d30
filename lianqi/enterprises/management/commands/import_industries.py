"""manage.py import_industries FILE — load the full GB/T 4754-2017 table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lianqi.enterprises.actions.industries import load_industries
from lianqi.enterprises.industries import IndustryFileError, read_rows
from lianqi.enterprises.models import Industry


class Command(BaseCommand):
    help = "Load the GB/T 4754-2017 industry classification from a CSV file (all four levels)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.exists():
            raise CommandError(f"{file} does not exist")
        try:
            counts = load_industries(read_rows(file), Industry)
        except IndustryFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"sections {counts[1]}, divisions {counts[2]}, groups {counts[3]}, classes {counts[4]}"
        )
