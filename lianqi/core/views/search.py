"""The staff's one search box: enterprises by name or credit code, demands by number or words,
policies by title — whatever the installed apps register (`registry.SearchProvider`), each
over what the user may see."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views import View

from lianqi.core import registry
from lianqi.core.roles import STAFF_ROLES, has_role
from lianqi.core.views import RoleRequiredMixin, search_query

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


class SearchView(RoleRequiredMixin, View):
    """`/search/?q=`: the results of every kind on one page."""

    allowed_roles = tuple(STAFF_ROLES)

    def get(self, request: HttpRequest) -> HttpResponse:
        q = search_query(request)
        groups = search_everything(request.user, q) if q else []
        return render(request, "core/search.html", {"q": q, "groups": groups})
