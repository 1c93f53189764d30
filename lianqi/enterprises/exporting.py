"""Writing the enterprise register to Excel in the columns import reads (`ENTERPRISE_COLUMNS`),
so an exported file can be corrected and imported back. The liaison's phone follows the one rule
of `core.privacy`: a user who may not see every cadre's number gets it masked (but their own),
the column says so in its header, and importing the file back ignores that column."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from lianqi.core.privacy import PhonePolicy
from lianqi.org.permissions import staff_phone, staff_phones

from .columns import ENTERPRISE_COLUMNS, TAG_SEPARATOR
from .models import Enterprise, Tag

#: Rows are read from the database in chunks of this size, so a large export stays flat in memory.
CHUNK_SIZE = 2000


def _value(enterprise: Enterprise, key: str, user: Any, phones: PhonePolicy) -> Any:
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
        return (staff_phone(user, liaison, phones) or None) if liaison else None
    value = getattr(enterprise, key)
    return value if value not in ("",) else None


def masked_columns(user: Any) -> set[str]:
    """The keys of the columns masked for `user` (marked so in the header)."""
    return {"liaison_phone"} if staff_phones(user).masks_column else set()


def export_rows(queryset: QuerySet[Enterprise], user: Any) -> Iterator[list[Any]]:
    """One row per enterprise, cells in the order of `ENTERPRISE_COLUMNS`, as `user` may see them."""
    queryset = queryset.select_related("jurisdiction", "liaison").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("order", "name"))
    )
    keys = [column.key for column in ENTERPRISE_COLUMNS]
    phones = staff_phones(user)
    for enterprise in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [_value(enterprise, key, user, phones) for key in keys]
