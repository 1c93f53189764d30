"""Who reads the export log and how it is searched. The log is the administrator's: an
administrator sees the records of their jurisdiction and those below it (a superuser, all of
them); a record of another park answers 404, as for a missing one. The service office does not
read it: most exports are its own, and a log is read by someone other than those it watches."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import ExportRecord
from .roles import Role, has_role
from .scoping import get_object_or_404_scoped, scope_queryset

#: The roles that read the export log.
LOG_ROLES: tuple[str, ...] = (Role.ADMIN,)


def records_visible(user: Any) -> QuerySet[ExportRecord]:
    """The export records `user` may read: their jurisdiction's subtree, for administrators."""
    if not has_role(user, LOG_ROLES):
        return ExportRecord.objects.none()
    return scope_queryset(ExportRecord.objects.select_related("jurisdiction"), user)


def access_export_record(user: Any, pk: Any) -> ExportRecord:
    """One export record, if `user` may read it (404 for missing and forbidden alike)."""
    return get_object_or_404_scoped(records_visible(user), pk=pk)


def record_list(user: Any, *, query: str = "", export: str = "") -> QuerySet[ExportRecord]:
    """The records `user` may read, newest first, searched by who took the file or its name
    and narrowed to one export."""
    queryset = records_visible(user)
    for term in query.split():
        queryset = queryset.filter(Q(username__icontains=term) | Q(title__icontains=term))
    if export:
        queryset = queryset.filter(export=export)
    return queryset.order_by("-at", "-pk")


def export_choices(user: Any) -> list[tuple[str, str]]:
    """The exports found in the records `user` may read, each with its latest title."""
    seen: dict[str, str] = {}
    for key, title in records_visible(user).order_by("-at").values_list("export", "title")[:2000]:
        seen.setdefault(key, title)
    return sorted(seen.items())
