"""The demands' section of the enterprise's file (一企一档): an HTML fragment the file page loads
by itself (registered in `apps.py`), listing the enterprise's demands the user may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from lianqi.core.views import RoleRequiredMixin

from .. import queries
from ..permissions import STAFF_READERS, access_enterprise

#: How many demands the section lists; the register's own list holds the rest.
SECTION_SIZE = 50


class EnterpriseSectionView(RoleRequiredMixin, View):
    """The enterprise's demands, open ones first: number, category, state, received and due
    dates, and for a closed one the enterprise's three answers (contacted, solved, satisfied).
    An enterprise the user may not see answers 404; of its demands, only those the user may
    see are listed."""

    allowed_roles = STAFF_READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        rows = list(queries.enterprise_section_rows(request.user, enterprise)[:SECTION_SIZE])
        context = {"enterprise": enterprise, "rows": rows}
        return render(request, "demands/enterprise_section.html", context)
