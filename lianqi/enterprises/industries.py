"""Reading GB/T 4754-2017 in its CSV form (`level,code,section,division,group,class,name,
description`), for the data migration (sections and divisions shipped with Lianqi) and for
`manage.py import_industries` (the full four-level table a park obtains from the statistics
bureau). Writing the rows into the industry table is an action
(`lianqi.enterprises.actions.industries.load_industries`)."""

from __future__ import annotations

import csv
from pathlib import Path

SHIPPED_FILE = Path(__file__).resolve().parent / "data" / "gbt4754_sections_divisions.csv"
EXPECTED_HEADER = ["level", "code", "section", "division", "group", "class", "name", "description"]


class IndustryFileError(ValueError):
    """The file is not a GB/T 4754 table in the expected shape."""


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != EXPECTED_HEADER:
            raise IndustryFileError(f"expected header {','.join(EXPECTED_HEADER)}, got {reader.fieldnames}")
        # The published table has stray spaces around some names; they would break look-ups.
        rows = [{key: (value or "").strip() for key, value in row.items()} for row in reader]
    for number, row in enumerate(rows, start=2):
        if row["level"] not in {"1", "2", "3", "4"} or not row["code"] or not row["name"]:
            raise IndustryFileError(f"line {number}: level, code and name are required")
    return rows


def parent_code(row: dict[str, str]) -> str | None:
    level = int(row["level"])
    return {1: None, 2: row["section"], 3: row["division"], 4: row["group"]}[level]
