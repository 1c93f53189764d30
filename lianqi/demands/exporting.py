"""The demand lists as Excel: the rows the page shows under the same filters, all of them.
Headers are built per request, so the file speaks the user's language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.excel import Column

from .models import Demand

#: Rows are read in chunks of this size, so a large export stays flat in memory.
CHUNK_SIZE = 2000


def demand_columns() -> list[Column]:
    return [
        Column("pk", _("编号")),
        Column("received_at", _("受理时间")),
        Column("enterprise", _("企业")),
        Column("category", _("诉求类别")),
        Column("channel", _("来源渠道")),
        Column("description", _("诉求内容")),
        Column("state", _("状态")),
        Column("lead_department", _("牵头部门")),
        Column("due_on", _("答复期限")),
        Column("liaison", _("联企干部")),
        Column("replied_at", _("答复时间")),
        Column("closed_at", _("办结时间")),
        Column("outcome", _("办理结果")),
        Column("is_legacy", _("遗留问题")),
        Column("supervised_at", _("督办时间")),
    ]


def _moment(value: Any) -> str | None:
    # Excel cells cannot hold time zones; the park reads Shanghai time.
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None


def export_rows(queryset: QuerySet[Demand]) -> Iterator[list[Any]]:
    yes, no = _("是"), _("否")
    queryset = queryset.select_related("enterprise", "category", "lead_department", "liaison")
    for d in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [
            d.pk,
            _moment(d.received_at),
            d.enterprise.name,
            d.category.name,
            d.get_channel_display(),
            d.description,
            d.get_state_display(),
            d.lead_department.name if d.lead_department else None,
            d.due_on,
            d.liaison.name if d.liaison else None,
            _moment(d.replied_at),
            _moment(d.closed_at),
            d.get_outcome_display() or None,
            yes if d.is_legacy else no,
            _moment(d.supervised_at),
        ]
