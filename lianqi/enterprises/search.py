"""What the register adds to the staff's one search box: enterprises by name, address or
credit code."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lianqi.core.registry import SearchHit
from lianqi.core.search import apply_search

from .permissions import visible


def find_enterprises(user: Any, q: str, limit: int) -> list[SearchHit]:
    found = apply_search(visible(user), q).select_related("industry").order_by("name", "pk")[:limit]
    return [
        SearchHit(
            e.name, reverse("enterprises:detail", args=[e.pk]), f"{e.credit_code} · {e.get_kind_display()}"
        )
        for e in found
    ]
