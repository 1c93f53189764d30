"""What the demand loop adds to the staff's one search box: a demand by its number (#1234 or
1234) or by words of its content, enterprise or category."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from lianqi.core.registry import SearchHit
from lianqi.core.search import apply_search

from .permissions import visible


def find_demands(user: Any, q: str, limit: int) -> list[SearchHit]:
    demands = visible(user).select_related("enterprise", "category")
    number = q.lstrip("#").strip()
    by_words = apply_search(demands, q)
    # 2**63 - 1 is the largest id a row can have; a longer number is no demand's.
    if number.isdigit() and int(number) < 2**63:
        found = demands.filter(Q(pk=int(number)) | Q(pk__in=by_words.values("pk")))
    else:
        found = by_words
    return [
        SearchHit(
            f"#{d.pk} {d.enterprise.name}",
            reverse("demands:detail", args=[d.pk]),
            f"{d.category.name} · {d.get_state_display()} · {d.description[:40]}",
        )
        for d in found.order_by("-received_at", "-pk")[:limit]
    ]
