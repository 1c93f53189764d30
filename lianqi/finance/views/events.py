"""Bank–enterprise matching events (银企对接会): the list with each event's figures, and one
event with its institutions and agreements."""

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

from .. import actions, queries
from ..actions import OFFICE_ROLES
from ..forms import AgreementForm, AttendanceForm, EventForm, InvitationForm
from ..models import Institution, MatchingEvent
from ..permissions import MANAGERS, access_event, ancestor_paths
from .pilots import own_jurisdiction

EVENT_READERS = (*MANAGERS, Role.FINANCE)


class EventListView(RoleRequiredMixin, View):
    """Every event the user may see: firms, agreements, amount signed and lent since."""

    allowed_roles = EVENT_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "finance/event_list.html",
            {
                "events": queries.events_with_figures(request.user),
                "may_create": has_role(request.user, OFFICE_ROLES),
            },
        )


class EventCreateView(RoleRequiredMixin, View):
    """The office records a matching event of its jurisdiction with the institutions that came."""

    allowed_roles = OFFICE_ROLES

    def _form(self, request: HttpRequest, data: Any = None) -> EventForm:
        jurisdiction = own_jurisdiction(request)
        serving = Institution.objects.filter(jurisdiction_path__in=ancestor_paths(jurisdiction.path))
        return EventForm(data, institutions=serving.order_by("name"))

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "finance/event_form.html", {"form": self._form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                event = actions.create_event(
                    jurisdiction=own_jurisdiction(request), actor=acting_user(request), **form.cleaned_data
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("对接活动已登记"))
                return redirect(event.get_absolute_url())
        return render(request, "finance/event_form.html", {"form": form})


class AttendanceView(RoleRequiredMixin, View):
    """The office records an enterprise that came to the event."""

    allowed_roles = OFFICE_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = access_event(request.user, pk)
        form = AttendanceForm(request.POST, enterprises=_event_enterprises(request, event))
        if form.is_valid():
            try:
                actions.record_attendance(event=event, actor=acting_user(request), **form.cleaned_data)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("参会企业已登记"))
                return redirect(event.get_absolute_url())
        return _page(request, event, _form(request, event), form)


def _event_enterprises(request: HttpRequest, event: MatchingEvent) -> QuerySet[Enterprise]:
    return visible_enterprises(request.user).filter(jurisdiction_path__startswith=event.jurisdiction_path)


def _form(request: HttpRequest, event: MatchingEvent, data: Any = None) -> AgreementForm:
    enterprises = visible_enterprises(request.user).filter(
        jurisdiction_path__startswith=event.jurisdiction_path
    )
    return AgreementForm(data, enterprises=enterprises, institutions=event.institutions.order_by("name"))


class EventDetailView(RoleRequiredMixin, View):
    """One event: its institutions, its agreements and its figures; the office records an
    agreement signed there."""

    allowed_roles = EVENT_READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = access_event(request.user, pk)
        return _page(request, event, _form(request, event))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = access_event(request.user, pk)
        if not has_role(request.user, OFFICE_ROLES):
            raise PermissionDenied
        form = _form(request, event, request.POST)
        if form.is_valid():
            try:
                actions.record_agreement(event=event, actor=acting_user(request), **form.cleaned_data)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("签约项目已登记"))
                return redirect(event.get_absolute_url())
        return _page(request, event, form)


class InvitationsView(RoleRequiredMixin, View):
    """Invitations from a condition over the register (the engine's JSON, as on every page that
    takes one; a pilot's whitelist is an attribute it can test) and from the financing-difficulty
    demands of the months before: "preview" lists who would be invited and why, "send" invites
    them and tells their account users in the app."""

    allowed_roles = OFFICE_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = access_event(request.user, pk)
        form = InvitationForm(request.POST)
        if not form.is_valid():
            return _page(request, event, _form(request, event), invitation_form=form)
        rule = form.cleaned_data["rule"] or None
        months = form.cleaned_data["demand_months"] or 0
        try:
            if request.POST.get("send"):
                sent = actions.send_event_invitations(
                    event=event, rule=rule, demand_months=months, actor=acting_user(request)
                )
                messages.success(request, _("已邀请 %(count)s 家企业") % {"count": len(sent)})
                return redirect(event.get_absolute_url())
            preview = actions.invitation_preview(event, rule, months, timezone.localdate())
        except ValidationError as invalid:
            add_action_errors(form, invalid)
            return _page(request, event, _form(request, event), invitation_form=form)
        names = dict(
            Enterprise.objects.filter(pk__in=[i.enterprise_id for i in preview]).values_list("pk", "name")
        )
        rows = [(names.get(i.enterprise_id, ""), i.reason) for i in preview]
        return _page(request, event, _form(request, event), invitation_form=form, preview=rows)


def _page(
    request: HttpRequest,
    event: MatchingEvent,
    form: AgreementForm,
    attendance_form: AttendanceForm | None = None,
    invitation_form: InvitationForm | None = None,
    preview: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """The event's page, with the office's forms to invite enterprises and to record attendance
    and agreements (keeping what was typed)."""
    context = {
        "event": event,
        "figures": queries.event_figures(event),
        "institutions": event.institutions.order_by("name"),
        "agreements": event.agreements.select_related("enterprise", "institution").order_by(
            "-amount_fen", "pk"
        ),
        "attendances": queries.attendances(event),
        "invitations": queries.invitations(event),
        "preview": preview,
    }
    office = has_role(request.user, OFFICE_ROLES)
    context["form"] = form if office else None
    context["attendance_form"] = (
        (attendance_form or AttendanceForm(enterprises=_event_enterprises(request, event)))
        if office
        else None
    )
    context["invitation_form"] = (invitation_form or InvitationForm()) if office else None
    context["may_create"] = office
    return render(request, "finance/event_detail.html", context)
