"""Writing the enterprise register to Excel in the columns import reads (`ENTERPRISE_COLUMNS`),
so an exported file can be corrected and imported back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from lianqi.core.excel import write_workbook

from .columns import ENTERPRISE_COLUMNS, TAG_SEPARATOR
from .models import Enterprise, Tag

#: Rows are read from the database in chunks of this size, so a large export stays flat in memory.
CHUNK_SIZE = 2000


def _value(enterprise: Enterprise, key: str) -> Any:
    liaison = enterprise.liaison
    if key == "kind":
        return enterprise.get_kind_display()
    if key == "status":
        return enterprise.get_status_display()
    if key == "industry":
        return enterprise.industry_id
    if key == "jurisdiction":
        return enterprise.jurisdiction.code
    if key == "tags":
        return TAG_SEPARATOR.join(tag.name for tag in enterprise.tags.all())
    if key == "liaison_name":
        return liaison.name if liaison else None
    if key == "liaison_phone":
        return liaison.phone if liaison else None
    value = getattr(enterprise, key)
    return value if value not in ("",) else None


def export_rows(queryset: QuerySet[Enterprise]) -> Iterator[list[Any]]:
    """One row per enterprise, cells in the order of `ENTERPRISE_COLUMNS`."""
    queryset = queryset.select_related("jurisdiction", "liaison").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("order", "name"))
    )
    keys = [column.key for column in ENTERPRISE_COLUMNS]
    for enterprise in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [_value(enterprise, key) for key in keys]


def export_workbook(queryset: QuerySet[Enterprise]) -> bytes:
    return write_workbook(ENTERPRISE_COLUMNS, export_rows(queryset), sheet_title=_("企业名录"))
