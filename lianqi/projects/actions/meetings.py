"""The meeting cadence: a jurisdiction's fixed meeting series, a meeting with its attendees and
minutes, and its decisions, each of which becomes a demand assigned to a department with a
deadline, so that it is supervised, escalated and rated like any demand until closed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import required_text
from lianqi.demands.actions.intake import submit_demand
from lianqi.demands.actions.lifecycle import assign_demand, decide_escalation
from lianqi.demands.choices import Channel, DemandState, Outcome
from lianqi.demands.models import Category, Demand
from lianqi.org.models import Department, Jurisdiction

from ..choices import SERIES_VENUE, Cadence, ProjectAction, SeriesKind
from ..models import Decision, Meeting, MeetingSeries, Project
from ..workflow import roles_for, workflow


def create_series(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    name: str,
    cadence: str,
    kind: str = SeriesKind.DISPATCH,
) -> MeetingSeries:
    """Set up a fixed meeting of a jurisdiction inside the actor's (a weekly consultation, a
    ten-day dispatch, the reception day's roundtable …)."""
    name = required_text(name, "name", _("请填写会议名称"))
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": _("请选择会议频次")})
    if kind not in SeriesKind.values:
        raise ValidationError({"kind": _("请选择会议类型")})
    if not path_visible(actor, jurisdiction.path):
        raise ValidationError({"jurisdiction": _("请选择您管辖范围内的区域")})
    return MeetingSeries.objects.create(jurisdiction=jurisdiction, name=name, cadence=cadence, kind=kind)


def hold_meeting(
    *,
    series: MeetingSeries,
    actor: Actor,
    held_on: dt.date,
    attendees: str = "",
    minutes: str = "",
    at: dt.datetime | None = None,
) -> Meeting:
    """Record a meeting of a series: not in the future, and not before the series' last meeting."""
    at = at or timezone.now()
    if held_on > timezone.localdate(at):
        raise ValidationError({"held_on": _("召开日期不能晚于今天")})
    with transaction.atomic():
        locked = MeetingSeries.objects.select_for_update().get(pk=series.pk)
        last = locked.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
        if last is not None and held_on < last:
            raise ValidationError({"held_on": _("召开日期不能早于上一次会议（%(day)s）") % {"day": last}})
        return Meeting.objects.create(
            series=locked,
            jurisdiction_id=locked.jurisdiction_id,
            held_on=held_on,
            attendees=attendees.strip(),
            minutes=minutes.strip(),
            recorded_by=actor,
        )


def decide(
    *,
    meeting: Meeting,
    actor: Actor,
    project: Project,
    text: str,
    category: Category,
    department: Department,
    workdays_limit: int,
    at: dt.datetime | None = None,
) -> Decision:
    """Record a decision of a meeting that assigns work on a project: it is filed through the
    demands' intake as a demand of the project's owner (channel 重点项目调度会) and assigned to
    `department` with a deadline of `workdays_limit` working days; its timeline names the meeting."""
    at = at or timezone.now()
    text = required_text(text, "text", _("请填写议定事项"))
    if not path_visible(actor, meeting.jurisdiction_path):
        raise ValidationError(_("您不能为该会议记录议定事项"))
    if not roles_for(project, actor):
        raise ValidationError({"project": _("请选择您管辖范围内的项目")})
    if project.enterprise is None:
        raise ValidationError({"project": _("业主企业尚未注册，议定事项暂不能交办")})
    note = _("%(meeting)s（%(day)s）议定") % {
        "meeting": meeting.series.name,
        "day": f"{meeting.held_on:%Y-%m-%d}",
    }
    with transaction.atomic():
        demand = submit_demand(
            enterprise=project.enterprise,
            category=category,
            channel=Channel.DISPATCH_MEETING,
            description=_("【%(project)s】%(text)s") % {"project": project.name, "text": text},
            actor=actor,
            at=at,
        )
        demand = assign_demand(
            demand=demand,
            actor=actor,
            expected_version=demand.version,
            department=department,
            workdays_limit=workdays_limit,
            note=note,
            at=at,
        )
        decision = Decision.objects.create(meeting=meeting, project=project, text=text, demand=demand)
        workflow.record(
            project, action=ProjectAction.DECIDE, from_state=project.state, actor=actor, at=at, note=text
        )
    return decision


def decide_escalated(
    *,
    meeting: Meeting,
    actor: Actor,
    demand: Demand,
    expected_version: int,
    note: str,
    department: Department | None = None,
    workdays_limit: int | None = None,
    outcome: Outcome | None = None,
    at: dt.datetime | None = None,
) -> Demand:
    """Record the meeting's decision on a demand escalated to its venue (提级协调): it is the
    escalation's decision (the demands' `decide_escalation`: re-assigned to `department` with a
    new deadline, or closed with an `outcome`), its note names the meeting in the demand's
    timeline, and the meeting's minutes carry it."""
    at = at or timezone.now()
    note = required_text(note, "note", _("请填写协调结论"))
    if not path_visible(actor, meeting.jurisdiction_path):
        raise ValidationError(_("您不能为该会议记录决定"))
    if (
        demand.state != DemandState.ESCALATED
        or demand.venue != SERIES_VENUE[meeting.series.kind]
        or not demand.jurisdiction_path.startswith(meeting.jurisdiction_path)
    ):
        raise ValidationError(_("该诉求不在本次会议待决定的提级诉求中"))
    held = _("%(meeting)s（%(day)s）") % {
        "meeting": meeting.series.name,
        "day": f"{meeting.held_on:%Y-%m-%d}",
    }
    with transaction.atomic():
        decided = decide_escalation(
            demand=demand,
            actor=actor,
            expected_version=expected_version,
            note=_("%(meeting)s决定：%(note)s") % {"meeting": held, "note": note},
            department=department,
            workdays_limit=workdays_limit,
            outcome=outcome,
            at=at,
        )
        # The minutes are the meeting's record: the decision is written there too, under a lock
        # so that two decisions recorded at once both stay.
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        line = _("提级诉求（%(enterprise)s）：%(note)s") % {
            "enterprise": demand.enterprise.name,
            "note": note,
        }
        locked.minutes = f"{locked.minutes}\n{line}".strip()
        locked.save(update_fields=["minutes"])
        meeting.minutes = locked.minutes
    return decided
