"""Loading GB/T 4754-2017 from its CSV form (`level,code,section,division,group,class,name,
description`), used by the data migration (sections and divisions shipped with Lianqi) and by
`manage.py import_industries` (the full four-level table a park obtains from the statistics
bureau)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

from django.db import transaction

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


def load_industries(rows: list[dict[str, str]], industry_model: Any) -> Counter[int]:
    """Insert or update every row in bulk, parents before children. Returns the count per level."""
    counts: Counter[int] = Counter()
    fields = ("level", "name", "description", "section", "parent_id")
    with transaction.atomic():
        existing = {i.code: i for i in industry_model.objects.all()}
        for level in (1, 2, 3, 4):
            created, updated = [], []
            for row in rows:
                if int(row["level"]) != level:
                    continue
                values = {
                    "level": level,
                    "name": row["name"],
                    "description": row["description"],
                    "section": row["section"],
                    "parent_id": parent_code(row),
                }
                current = existing.get(row["code"])
                if current is None:
                    created.append(industry_model(code=row["code"], **values))
                elif any(getattr(current, f) != values[f] for f in fields):
                    for name, value in values.items():
                        setattr(current, name, value)
                    updated.append(current)
                counts[level] += 1
            industry_model.objects.bulk_create(created, batch_size=500)
            industry_model.objects.bulk_update(updated, list(fields), batch_size=500)
    return counts
