"""Financing pilots (动产质押融资试点 …): the list, and one pilot with its institutions, the
versions of its whitelist rule and today's whitelist (who the rule takes in, who was added or
removed by hand, why and by whom)."""

from __future__ import annotations

from typing import Any

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
from lianqi.org.models import Jurisdiction

from .. import actions, queries
from ..actions import OFFICE_ROLES
from ..forms import PilotForm, WhitelistChangeForm, WhitelistRuleForm
from ..models import Institution, Pilot
from ..permissions import MANAGERS, access_pilot, ancestor_paths, visible_pilots

PILOT_READERS = (*MANAGERS, Role.FINANCE)


class PilotListView(RoleRequiredMixin, View):
    """The pilots the user may see (an institution's user: those its institution is in)."""

    allowed_roles = PILOT_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        pilots = visible_pilots(request.user).select_related("guarantor", "product").prefetch_related("banks")
        return render(
            request,
            "finance/pilot_list.html",
            {"pilots": pilots, "may_create": has_role(request.user, OFFICE_ROLES)},
        )


def own_jurisdiction(request: HttpRequest) -> Jurisdiction:
    """The jurisdiction a new pilot belongs to: the office user's own (a user without one has
    no pilot to set up)."""
    jurisdiction = getattr(request.user, "jurisdiction", None)
    if jurisdiction is None:
        raise PermissionDenied
    return jurisdiction  # type: ignore[no-any-return]


class PilotCreateView(RoleRequiredMixin, View):
    """The office sets up a pilot of its jurisdiction with the institutions serving it."""

    allowed_roles = OFFICE_ROLES

    def _form(self, request: HttpRequest, data: Any = None) -> PilotForm:
        jurisdiction = own_jurisdiction(request)
        serving = Institution.objects.filter(jurisdiction_path__in=ancestor_paths(jurisdiction.path))
        return PilotForm(data, institutions=serving.order_by("name"))

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "finance/pilot_form.html", {"form": self._form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                pilot = actions.create_pilot(
                    jurisdiction=own_jurisdiction(request),
                    actor=acting_user(request),
                    **form.cleaned_data,
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("试点已设立，请保存白名单规则"))
                return redirect(pilot.get_absolute_url())
        return render(request, "finance/pilot_form.html", {"form": form})


class WhitelistRuleView(RoleRequiredMixin, View):
    """The office saves a new version of the pilot's whitelist rule (checked by the engine)."""

    allowed_roles = OFFICE_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pilot = access_pilot(request.user, pk)
        rule_form = WhitelistRuleForm(request.POST)
        if rule_form.is_valid():
            try:
                version = actions.save_whitelist_rule(
                    pilot=pilot, actor=acting_user(request), **rule_form.cleaned_data
                )
            except ValidationError as invalid:
                add_action_errors(rule_form, invalid)
            else:
                messages.success(request, _("白名单规则第 %(n)s 版已保存") % {"n": version.number})
                return redirect(pilot.get_absolute_url())
        return _page(request, pilot, WhitelistChangeForm(enterprises=_enterprises(request, pilot)), rule_form)


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


def _page(
    request: HttpRequest, pilot: Pilot, form: WhitelistChangeForm, rule_form: WhitelistRuleForm | None = None
) -> HttpResponse:
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
    office = has_role(request.user, OFFICE_ROLES)
    context["form"] = form if office else None
    latest = pilot.versions.order_by("-number").first()
    context["rule_form"] = (
        (rule_form or WhitelistRuleForm(initial={"rule": latest.rule if latest else None}))
        if office
        else None
    )
    return render(request, "finance/pilot_detail.html", context)
