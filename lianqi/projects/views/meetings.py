"""The meeting cadence: the series of the user's jurisdiction with their meetings, recording a
meeting, and a meeting's page — its agenda (earlier decisions and their status first, then the
projects behind plan), its minutes and its decisions, each assigned as a demand."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset
from lianqi.core.views import RoleRequiredMixin
from lianqi.org.models import Department

from .. import queries
from ..actions import meetings as actions
from ..forms import DecisionForm, EscalationDecisionForm, MeetingForm, SeriesForm
from ..models import Meeting
from ..permissions import MANAGERS, access_meeting, access_series, visible, visible_series
from .common import run


class SeriesListView(RoleRequiredMixin, View):
    """The fixed meetings of the user's jurisdiction, each with its latest meetings, and setting
    up a new one (for the user's own jurisdiction)."""

    allowed_roles = MANAGERS

    def _page(self, request: HttpRequest, form: SeriesForm) -> HttpResponse:
        series = visible_series(request.user).prefetch_related("meetings")
        return render(request, "projects/series_list.html", {"series": series, "form": form})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, SeriesForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        actor = acting_user(request)
        form = SeriesForm(request.POST)

        def act() -> object:
            if actor.jurisdiction is None:
                raise ValidationError(_("您的账号未绑定辖区"))
            return actions.create_series(actor=actor, jurisdiction=actor.jurisdiction, **form.cleaned_data)

        if run(request, form, act, _("已设置调度会议")) is None:
            return self._page(request, form)
        return redirect("projects:series_list")


class MeetingCreateView(RoleRequiredMixin, View):
    """Record a meeting of a series."""

    allowed_roles = MANAGERS

    def _page(self, request: HttpRequest, series: Any, form: MeetingForm) -> HttpResponse:
        return render(request, "projects/meeting_form.html", {"series": series, "form": form})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        series = access_series(request.user, pk)
        return self._page(request, series, MeetingForm(initial={"held_on": timezone.localdate()}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        series = access_series(request.user, pk)
        form = MeetingForm(request.POST)

        def act() -> Meeting:
            return actions.hold_meeting(series=series, actor=acting_user(request), **form.cleaned_data)

        meeting = run(request, form, act, _("已记录会议"))
        if meeting is not None:
            return redirect(meeting.get_absolute_url())
        return self._page(request, series, form)


def _decision_form(request: HttpRequest, meeting: Meeting, data: Any = None) -> DecisionForm:
    projects = visible(request.user).filter(jurisdiction_path__startswith=meeting.jurisdiction_path)
    return DecisionForm(data, projects=projects, departments=_departments(request))


def _departments(request: HttpRequest) -> Any:
    return scope_queryset(Department.objects.filter(is_active=True), request.user)


def _escalation_form(request: HttpRequest, demand: Any, data: Any = None) -> EscalationDecisionForm:
    return EscalationDecisionForm(
        data,
        prefix=f"escalated-{demand.pk}",
        departments=_departments(request),
        initial={"expected_version": demand.version},
    )


def _meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    form: DecisionForm | None = None,
    failed: tuple[Any, EscalationDecisionForm] | None = None,
) -> HttpResponse:
    agenda = queries.agenda(request.user, meeting, timezone.localdate())
    escalated = [
        (demand, failed[1] if failed and failed[0].pk == demand.pk else _escalation_form(request, demand))
        for demand in agenda["escalated"]
    ]
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "escalated": escalated,
        "form": form or _decision_form(request, meeting),
    }
    return render(request, "projects/meeting.html", context)


class MeetingView(RoleRequiredMixin, View):
    """One meeting: its agenda, minutes and decisions; a decision recorded here is assigned as a demand."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _meeting_page(request, access_meeting(request.user, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = access_meeting(request.user, pk)
        form = _decision_form(request, meeting, request.POST)

        def act() -> object:
            data = form.cleaned_data
            return actions.decide(
                meeting=meeting,
                actor=acting_user(request),
                project=data["project"],
                text=data["text"],
                category=data["category"],
                department=data["department"],
                workdays_limit=data["workdays"],
            )

        if run(request, form, act, _("已记录议定事项并交办")) is None:
            return _meeting_page(request, meeting, form)
        return redirect(meeting.get_absolute_url())


class EscalatedDecisionView(RoleRequiredMixin, View):
    """The meeting's decision on a demand escalated to its venue: recorded as the escalation's
    decision (re-assigned or closed), named in the demand's timeline and in the minutes."""

    allowed_roles = MANAGERS

    def post(self, request: HttpRequest, pk: int, demand: int) -> HttpResponse:
        meeting = access_meeting(request.user, pk)
        # Only a demand waiting on this meeting's agenda (inside the user's scope) may be decided here.
        row = get_object_or_404_scoped(scope_queryset(queries.escalated(meeting), request.user), pk=demand)
        form = _escalation_form(request, row, request.POST)

        def act() -> object:
            data = form.cleaned_data
            return actions.decide_escalated(
                meeting=meeting,
                actor=acting_user(request),
                demand=row,
                expected_version=data["expected_version"],
                note=data["note"],
                department=data["department"],
                workdays_limit=data["workdays"],
                outcome=data["outcome"] or None,
            )

        if run(request, form, act, _("已记录会议决定")) is None:
            return _meeting_page(request, meeting, failed=(row, form))
        return redirect(meeting.get_absolute_url())
