"""Chinese search over a denormalised, lower-cased `search_text` column.

A query is split on white space and each part is cut into words with rjieba, so that
"湘潭 电缆" and "湘潭电缆" both find "湘潭华菱线缆电缆有限公司"; every word must appear.
Plain substring matching keeps credit codes and addresses searchable by any fragment.
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlencode

import rjieba
from django.db.models import Model, QuerySet
from django.urls import NoReverseMatch, reverse

from . import registry
from .roles import has_role

M = TypeVar("M", bound=Model)

#: Words too common in enterprise names to narrow a search.
STOP_WORDS = frozenset({"有限公司", "有限", "公司", "责任", "股份", "集团", "的"})


def normalise_search_text(*parts: str | None) -> str:
    return " ".join(p.strip().lower() for p in parts if p)


def search_terms(query: str) -> list[str]:
    terms: list[str] = []
    for chunk in query.lower().split():
        words = [w.strip() for w in rjieba.cut(chunk) if w.strip()]
        kept = [w for w in words if w not in STOP_WORDS] or words
        for word in kept:
            if word not in terms:
                terms.append(word)
    return terms[:8]


def apply_search(queryset: QuerySet[M], query: str, field: str = "search_text") -> QuerySet[M]:
    for term in search_terms(query):
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset


#: Hits shown per kind; the kind's own list shows the rest.
HITS_PER_KIND = 8


def search_everything(user: Any, q: str) -> list[dict[str, Any]]:
    """Each provider the user may use, with its first hits and a link to all of them."""
    groups = []
    for provider in registry.search_providers():
        if not has_role(user, provider.roles):
            continue
        hits = provider.search(user, q, HITS_PER_KIND + 1)
        try:
            more = (
                f"{reverse(provider.more_url_name)}?{urlencode({'q': q})}" if provider.more_url_name else None
            )
        except NoReverseMatch:
            more = None
        groups.append(
            {
                "key": provider.key,
                "label": provider.label,
                "hits": hits[:HITS_PER_KIND],
                "more_url": more if len(hits) > HITS_PER_KIND else None,
            }
        )
    return groups
