"""The enterprise's page, its file (一企一档): who it is, then one card per section the apps
register for it (`views.file`), its field history and its code."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from lianqi.core.views import RoleRequiredMixin

from .. import permissions, qr, queries
from ..models import Enterprise
from .file import file_sections


def detail_page(
    request: HttpRequest, enterprise: Enterprise, *, status: int = 200, **refused: Any
) -> HttpResponse:
    """The file page. `refused` hands a refused form back to the section it belongs to, so its
    errors show next to its fields (see `file.file_sections`)."""
    context = {
        "enterprise": enterprise,
        "sections": file_sections(request, enterprise, **refused),
        "tags": queries.tags_of(enterprise),
        "history": queries.history_entries(enterprise),
        "public_url": qr.public_url(request, enterprise),
        "can_edit": permissions.can_edit(request.user),
    }
    return render(request, "enterprises/detail.html", context, status=status)


class EnterpriseDetailView(RoleRequiredMixin, View):
    """One enterprise: its fields and tags, the sections of its file, its history and its code."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return detail_page(request, permissions.access_enterprise(request.user, pk))
