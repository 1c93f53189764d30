"""Writes to the industry table (GB/T 4754-2017), reference data shared by every park. The rows
are read and checked by `lianqi.enterprises.industries`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction

from ..industries import parent_code


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
