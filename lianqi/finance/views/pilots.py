"""Financing pilots (动产质押融资试点 …): the list, and one pilot with its institutions, the
versions of its whitelist rule and today's whitelist (who the rule takes in, who was added or
removed by hand, why and by whom)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import Role, has_role
from lianqi.core.views import RoleRequiredMixin
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.permissions import visible as visible_enterprises

from .. import actions, queries
from ..actions import OFFICE_ROLES
from ..forms import WhitelistChangeForm
from ..models import Pilot
from ..permissions import MANAGERS, access_pilot, visible_pilots

PILOT_READERS = (*MANAGERS, Role.FINANCE)


class PilotListView(RoleRequiredMixin, View):
    """The pilots the user may see (an institution's user: those its institution is in)."""

    allowed_roles = PILOT_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        pilots = visible_pilots(request.user).select_related("guarantor", "product").prefetch_related("banks")
        return render(request, "finance/pilot_list.html", {"pilots": pilots})


def _enterprises(request: HttpRequest, pilot: Pilot) -> QuerySet[Enterprise]:
    return visible_enterprises(request.user).filter(jurisdiction_path__startswith=pilot.jurisdiction_path)


class PilotDetailView(RoleRequiredMixin, View):
    """One pilot and its whitelist today; the office adds or removes an enterprise by hand."""

    allowed_roles = PILOT_READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pilot = access_pilot(request.user, pk)
        return _page(request, pilot, WhitelistChangeForm(enterprises=_enterprises(request, pilot)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pilot = access_pilot(request.user, pk)
        form = WhitelistChangeForm(request.POST, enterprises=_enterprises(request, pilot))
        if not has_role(request.user, OFFICE_ROLES):
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.change_whitelist(pilot=pilot, actor=acting_user(request), **form.cleaned_data)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("白名单已调整"))
                return redirect(pilot.get_absolute_url())
        return _page(request, pilot, form)


def _page(request: HttpRequest, pilot: Pilot, form: WhitelistChangeForm) -> HttpResponse:
    """The pilot's page: its institutions, rule versions and today's whitelist, with the
    office's form to change it (keeping what was typed, with its errors)."""
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
    context["form"] = form if has_role(request.user, OFFICE_ROLES) else None
    return render(request, "finance/pilot_detail.html", context)
