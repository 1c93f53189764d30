"""Jurisdiction scoping: the one place that decides which rows a user may see.

Every scoped row carries its jurisdiction's path; a user sees the rows whose path starts with
their own jurisdiction's path. Objects are loaded through `get_object_or_404_scoped`, which
answers 404 for a row that does not exist and for one the user may not see, so that a user of
another park cannot even learn that a row exists.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def scope_paths(user: Any) -> list[str] | None:
    """The path prefixes a user may see; None means everything (a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return None
    jurisdiction = getattr(user, "jurisdiction", None)
    return [jurisdiction.path] if jurisdiction is not None else []


def scope_queryset(queryset: QuerySet[M], user: Any, field: str = "jurisdiction_path") -> QuerySet[M]:
    """Filter a queryset to the rows inside the user's jurisdictions."""
    paths = scope_paths(user)
    if paths is None:
        return queryset
    if not paths:
        return queryset.none()
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return queryset.filter(condition)


def path_visible(user: Any, path: str) -> bool:
    """Whether a single jurisdiction path lies inside the user's scope."""
    paths = scope_paths(user)
    return paths is None or any(path.startswith(p) for p in paths)


def get_object_or_404_scoped(queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object from an already-scoped queryset; missing and forbidden look the same."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
