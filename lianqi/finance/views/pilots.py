"""Financing pilots (动产质押融资试点 …): the list, and one pilot with its institutions, the
versions of its whitelist rule and today's whitelist (who the rule takes in, who was added or
removed by hand, why and by whom)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from lianqi.core.roles import Role
from lianqi.core.views import RoleRequiredMixin
from lianqi.enterprises.models import Enterprise

from .. import queries
from ..permissions import MANAGERS, access_pilot, visible_pilots

PILOT_READERS = (*MANAGERS, Role.FINANCE)


class PilotListView(RoleRequiredMixin, View):
    """The pilots the user may see (an institution's user: those its institution is in)."""

    allowed_roles = PILOT_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        pilots = visible_pilots(request.user).select_related("guarantor", "product").prefetch_related("banks")
        return render(request, "finance/pilot_list.html", {"pilots": pilots})


class PilotDetailView(RoleRequiredMixin, View):
    """One pilot and its whitelist today."""

    allowed_roles = PILOT_READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pilot = access_pilot(request.user, pk)
        found = queries.whitelist(pilot, day=timezone.localdate())
        names = Enterprise.objects.in_bulk(list(found.members | set(found.removed)))
        context = {
            "pilot": pilot,
            "banks": pilot.banks.order_by("name"),
            "versions": pilot.versions.select_related("saved_by").order_by("-number"),
            "members": [
                {"enterprise": names[pk], "added": found.added.get(pk)}
                for pk in sorted(found.members, key=lambda pk: names[pk].name)
            ],
            "removed": [{"enterprise": names[pk], "change": change} for pk, change in found.removed.items()],
            "whitelist": found,
        }
        return render(request, "finance/pilot_detail.html", context)
