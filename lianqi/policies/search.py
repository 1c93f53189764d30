"""What the policy supermarket adds to the staff's one search box: policies by title, issuer
or document number."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lianqi.core.registry import SearchHit
from lianqi.core.search import apply_search

from .permissions import policies_visible


def find_policies(user: Any, q: str, limit: int) -> list[SearchHit]:
    found = apply_search(policies_visible(user), q).order_by("-pk")[:limit]
    return [SearchHit(p.title, reverse("policies:detail", args=[p.pk]), p.get_level_display()) for p in found]
