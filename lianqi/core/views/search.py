"""The staff's one search box: enterprises by name or credit code, demands by number or words,
policies by title — whatever the installed apps register (`registry.SearchProvider`), each
over what the user may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from lianqi.core.roles import STAFF_ROLES
from lianqi.core.search import search_everything
from lianqi.core.views import RoleRequiredMixin, search_query


class SearchView(RoleRequiredMixin, View):
    """`/search/?q=`: the results of every kind on one page."""

    allowed_roles = tuple(STAFF_ROLES)

    def get(self, request: HttpRequest) -> HttpResponse:
        q = search_query(request)
        groups = search_everything(request.user, q) if q else []
        return render(request, "core/search.html", {"q": q, "groups": groups})
