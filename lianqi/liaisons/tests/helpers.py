"""Small builders for the liaison tests, on top of the shared test world."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from lianqi.enterprises.models import Enterprise, Industry
from lianqi.org.choices import StaffTier
from lianqi.org.models import Department, Staff
from lianqi.testing.world import Side, ensure_industries, make_enterprise


def industry(code: str, name: str = "") -> Industry:
    """An industry below section C (manufacturing), or a section of its own for letters."""
    section = ensure_industries().parent
    assert section is not None
    if code.isalpha():
        found, _ = Industry.objects.get_or_create(
            code=code, defaults={"level": 1, "name": name or code, "section": code}
        )
        return found
    found, _ = Industry.objects.get_or_create(
        code=code,
        defaults={"level": min(len(code), 4), "name": name or code, "section": "C", "parent": section},
    )
    return found


def staff(
    side: Side,
    name: str,
    *,
    tier: str = StaffTier.STAFF,
    department: Department | None = None,
    phone: str = "",
    **extra: Any,
) -> Staff:
    return Staff.objects.create(
        jurisdiction=side.park,
        name=name,
        tier=tier,
        department=department if department is not None else side.department,
        phone=phone,
        **extra,
    )


def enterprise(side: Side, name: str, **extra: Any) -> Enterprise:
    return make_enterprise(side.park, name, **extra)


def xlsx(header: list[str], rows: list[list[Any]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "联企干部.xlsx"
    return buffer
