"""Every write to demands. Each action is keyword-only, runs in one transaction, locks the
demand, refuses a stale `expected_version`, checks the workflow table and writes one
`DemandEvent`. An enterprise acting through its code passes ``actor=None, enterprise=…``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core import calendar_store, workdays
from lianqi.core.scoping import path_visible
from lianqi.core.uploads import check_upload, store_upload
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department, Staff

from . import actions_statistics, notify, workflow
from .choices import Channel, DemandAction, DemandState, Outcome, RatingSource, Satisfaction, Venue
from .models import (
    DEFAULT_DEADLINE_WORKDAYS,
    Category,
    CategoryRouting,
    Demand,
    DemandAttachment,
    DemandEvent,
)


class StaleDemand(Exception):
    """The demand changed after the user loaded it; the change is refused so that nobody's
    work is silently overwritten. Names who changed it last and where it stands now."""

    def __init__(self, demand: Demand) -> None:
        self.current_version = demand.version
        self.state = demand.state
        self.last_actor = demand.last_actor
        who = str(demand.last_actor) if demand.last_actor is not None else _("企业")
        self.message = _("该诉求已被%(who)s修改，当前状态为“%(state)s”，请刷新后重试") % {
            "who": who,
            "state": demand.get_state_display(),
        }
        super().__init__(self.message)


# --- Helpers ---------------------------------------------------------------------------------


def _due(start: dt.datetime, n: int) -> workdays.DayResult:
    return workdays.add_workdays_at(start, n, calendar_store.get_calendar())


def _set_clock(demand: Demand, result: workdays.DayResult) -> None:
    demand.due_on = result.day
    demand.fallback_years = sorted(set(demand.fallback_years or []) | set(result.fallback_years))


def _check_department(demand: Demand, department: Department) -> None:
    # A department of another park must never receive this park's demand.
    if not demand.jurisdiction_path.startswith(department.jurisdiction_path) or not department.is_active:
        raise ValidationError({"department": _("该部门不属于诉求所在辖区或已停用")})


def _check_workdays(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1 or n > workdays.MAX_WORKDAYS:
        raise ValidationError(
            {"workdays": _("时限须为 1 至 %(max)s 个工作日") % {"max": workdays.MAX_WORKDAYS}}
        )


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _apply(
    *,
    demand: Demand,
    action: DemandAction,
    actor: Any,
    expected_version: int,
    at: dt.datetime | None,
    enterprise: Enterprise | None = None,
    note: str = "",
    change: Callable[[Demand, dt.datetime], None] | None = None,
) -> Demand:
    """Lock, compare versions, check the table, apply `change`, move the state, log it."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            # `last_actor` is not joined here: on PostgreSQL a joined row is read before the
            # lock wait, so the loser of a race would be told the wrong colleague's name.
            Demand.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=demand.pk)
        )
        if locked.version != expected_version:
            raise StaleDemand(locked)
        transition = workflow.check(locked, action, actor, enterprise=enterprise)
        from_state = locked.state
        if change is not None:
            change(locked, at)
        locked.state = transition.next_state
        if locked.state == DemandState.CLOSED and from_state != DemandState.CLOSED:
            locked.closed_at = at
        locked.version += 1
        locked.last_actor = actor
        locked.last_changed_at = at
        locked.save()
        _record(locked, action, from_state, actor, note, at)
    return locked


def _record(
    demand: Demand, action: str, from_state: str, actor: Any, note: str, at: dt.datetime
) -> DemandEvent:
    """Write the event of one step and queue its notifications in the same transaction (they
    are delivered after commit, so a failing channel never undoes the step)."""
    event = DemandEvent.objects.create(
        demand=demand,
        jurisdiction_path=demand.jurisdiction_path,
        action=action,
        from_state=from_state,
        to_state=demand.state,
        actor=actor,
        by_enterprise=actor is None,
        department=demand.lead_department,
        due_on=demand.due_on,
        note=note,
        version=demand.version,
        at=at,
    )
    notify.event_recorded(event)
    actions_statistics.mark_stale(demand)
    return event


# --- Intake ----------------------------------------------------------------------------------


def submit_demand(
    *,
    enterprise: Enterprise,
    category: Category,
    channel: Channel,
    description: str,
    actor: Any = None,
    contact_name: str = "",
    contact_phone: str = "",
    attachments: Sequence[UploadedFile] = (),
    solved_on_spot_note: str = "",
    at: dt.datetime | None = None,
) -> Demand:
    """Record a new demand of `enterprise`, with its attachments, in one transaction; with
    `solved_on_spot_note` the liaison also records, in the same transaction, that it was solved
    on the spot (当即解决) and how. The
    enterprise's current liaison is copied onto the demand, so a later change of liaison does
    not rewrite who was responsible at intake. `actor` is None when the enterprise files
    through its code; `contact_name` and `contact_phone` then say who filed it (the phone
    confirmed by a one-time code before this is called)."""
    at = at or timezone.now()
    description = _required(description, "description", _("请填写诉求内容"))
    if actor is None and not contact_phone:
        raise ValidationError({"contact_phone": _("请填写并验证联系电话")})
    _check_uploads(attachments, already=0)
    if not category.is_active:
        raise ValidationError({"category": _("该诉求类别已停用")})
    if actor is not None and not (
        path_visible(actor, enterprise.jurisdiction_path)
        or getattr(actor, "enterprise_id", None) == enterprise.pk
    ):
        raise ValidationError({"enterprise": _("不能为您管辖范围以外的企业登记诉求")})
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        demand = Demand.objects.create(
            jurisdiction_id=locked.jurisdiction_id,
            enterprise=locked,
            liaison_id=locked.liaison_id,
            category=category,
            channel=channel,
            description=description,
            received_at=at,
            raised_by=actor,
            contact_name=contact_name.strip()[:40],
            contact_phone=contact_phone.strip()[:20],
            last_actor=actor,
            last_changed_at=at,
        )
        _record(demand, SUBMIT, "", actor, description, at)
        for upload in attachments:
            _store_attachment(demand, upload, actor, at)
        if solved_on_spot_note.strip():
            demand = solve_demand_on_spot(
                demand=demand, actor=actor, expected_version=demand.version, note=solved_on_spot_note, at=at
            )
    return demand


#: Event actions that are not transitions of the table (they start or annotate a history).
SUBMIT = "submit"
ATTACH = "attach"
MERGED_IN = "merged_in"

#: How many files one demand may carry.
MAX_ATTACHMENTS = 20


def _check_uploads(uploads: Sequence[UploadedFile], *, already: int) -> None:
    if already + len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("每条诉求最多 %(max)s 个附件") % {"max": MAX_ATTACHMENTS}})
    for upload in uploads:
        check_upload(upload)


def _store_attachment(demand: Demand, upload: UploadedFile, actor: Any, at: dt.datetime) -> DemandAttachment:
    attachment = DemandAttachment(demand=demand, uploaded_by=actor, by_enterprise=actor is None, at=at)
    store_upload(attachment, upload)
    return attachment


def add_attachments(
    *,
    demand: Demand,
    uploads: Sequence[UploadedFile],
    actor: Any,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> list[DemandAttachment]:
    """Add files to a demand (staff who may see it, or the enterprise through its code while
    the demand is open). Every file is checked before any is stored; one event names them. The
    demand's version does not change: a file does not make a colleague's open form stale."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Demand.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=demand.pk)
        if actor is None and (enterprise is None or enterprise.pk != locked.enterprise_id):
            raise ValidationError({"attachments": _("只能为本企业的诉求上传附件")})
        if actor is not None and not workflow.roles_for(locked, actor, enterprise=enterprise):
            raise ValidationError({"attachments": _("您不能为该诉求上传附件")})
        if actor is None and locked.state == DemandState.CLOSED:
            raise ValidationError({"attachments": _("诉求已办结，不能再上传附件")})
        _check_uploads(uploads, already=locked.attachments.count())
        stored = [_store_attachment(locked, upload, actor, at) for upload in uploads]
        _record(locked, ATTACH, locked.state, actor, "、".join(a.name for a in stored), at)
    return stored


def default_routing(demand: Demand) -> tuple[Department | None, int]:
    """The lead department and deadline the jurisdiction configured for the demand's category
    (the nearest jurisdiction up the tree wins), or no department and the category's default."""
    routings = CategoryRouting.objects.filter(category_id=demand.category_id).select_related("department")
    best = None
    for routing in routings:
        if demand.jurisdiction_path.startswith(routing.jurisdiction_path) and (
            best is None or len(routing.jurisdiction_path) > len(best.jurisdiction_path)
        ):
            best = routing
    if best is None:
        return None, demand.category.deadline_workdays or DEFAULT_DEADLINE_WORKDAYS
    return best.department, best.deadline_workdays or demand.category.deadline_workdays


# --- Resolution ladder -----------------------------------------------------------------------


def solve_demand_on_spot(
    *, demand: Demand, actor: Any, expected_version: int, note: str, at: dt.datetime | None = None
) -> Demand:
    """The liaison solved it on the spot (当即解决); `note` says what was done."""
    note = _required(note, "note", _("请说明当即解决的办法"))

    def change(d: Demand, at: dt.datetime) -> None:
        d.outcome = Outcome.SOLVED
        d.solved_on_spot = True
        d.reply = note
        d.replied_at = at

    return _apply(
        demand=demand,
        action=DemandAction.SOLVE_ON_SPOT,
        actor=actor,
        expected_version=expected_version,
        at=at,
        note=note,
        change=change,
    )


def _assign(d: Demand, at: dt.datetime, department: Department, co: Iterable[Department], n: int) -> None:
    _check_department(d, department)
    co = [c for c in co if c.pk != department.pk]
    for c in co:
        _check_department(d, c)
    _check_workdays(n)
    d.lead_department = department
    d.assigned_at = at
    d.deadline_workdays = n
    d.extension_workdays = None
    d.extension_reason = ""
    _set_clock(d, _due(at, n))
    d.save()
    d.co_departments.set(co)


def assign_demand(
    *,
    demand: Demand,
    actor: Any,
    expected_version: int,
    department: Department,
    workdays_limit: int,
    co_departments: Iterable[Department] = (),
    note: str = "",
    at: dt.datetime | None = None,
) -> Demand:
    """Assign to a lead department (限时交办) with a reply deadline in working days; the clock
    starts now, not when the department signs for it."""
    return _apply(
        demand=demand,
        action=DemandAction.ASSIGN,
        actor=actor,
        expected_version=expected_version,
        at=at,
        note=note,
        change=lambda d, at: _assign(d, at, department, co_departments, workdays_limit),
    )


def sign_demand(
    *, demand: Demand, actor: Any, expected_version: int, at: dt.datetime | None = None
) -> Demand:
    """The lead department signs for the demand (签收)."""
    return _apply(
        demand=demand, action=DemandAction.SIGN, actor=actor, expected_version=expected_version, at=at
    )


def start_demand(
    *, demand: Demand, actor: Any, expected_version: int, at: dt.datetime | None = None
) -> Demand:
    """The lead department starts handling it (办理中)."""
    return _apply(
        demand=demand, action=DemandAction.START, actor=actor, expected_version=expected_version, at=at
    )


def send_back_demand(
    *, demand: Demand, actor: Any, expected_version: int, reason: str, at: dt.datetime | None = None
) -> Demand:
    """The department sends back a wrongly routed demand. The deadline stays: the clock that
    started at assignment keeps running while the office re-routes."""
    reason = _required(reason, "reason", _("请填写退回理由"))

    def change(d: Demand, at: dt.datetime) -> None:
        d.send_back_reason = reason[:200]

    return _apply(
        demand=demand,
        action=DemandAction.SEND_BACK,
        actor=actor,
        expected_version=expected_version,
        at=at,
        note=reason,
        change=change,
    )


def reroute_demand(
    *,
    demand: Demand,
    actor: Any,
    expected_version: int,
    department: Department,
    note: str = "",
    at: dt.datetime | None = None,
) -> Demand:
    """The office rules on a sent-back demand: it goes to `department` (the same one when the
    office finds it was routed right) with the original deadline."""

    def change(d: Demand, at: dt.datetime) -> None:
        _check_department(d, department)
        d.lead_department = department

    return _apply(
        demand=demand,
        action=DemandAction.REROUTE,
        actor=actor,
        expected_version=expected_version,
        at=at,
        note=note,
        change=change,
    )


def request_extension(
    *,
    demand: Demand,
    actor: Any,
    expected_version: int,
    workdays_limit: int,
    reason: str,
    at: dt.datetime | None = None,
) -> Demand:
    """The department asks for more working days; the office or a leader decides."""
    reason = _required(reason, "reason", _("请填写延期理由"))

    def change(d: Demand, at: dt.datetime) -> None:
        _check_workdays(workdays_limit)
        d.extension_workdays = workdays_limit
        d.extension_reason = reason[:200]

    return _apply(
        demand=demand,
        action=DemandAction.REQUEST_EXTENSION,
        actor=actor,
        expected_version=expected_version,
        at=at,
        note=reason,
        change=change,
    )


def decide_extension(
    *,
    demand: Demand,
    actor: Any,
    expected_version: int,
    approve: bool,
    note: str = "",
    at: dt.datetime | None = None,
) -> Demand:
    """Approve (the deadline moves by the requested working days) or reject a request."""

    def change(d: Demand, at: dt.datetime) -> None:
        if approve and d.due_on is not None and d.extension_workdays:
            _set_clock(
                d, workdays.add_workdays(d.due_on, d.extension_workdays, calendar_store.get_calendar())
            )
        d.extension_workdays = None

    return _apply(
        demand=demand,
        action=DemandAction.APPROVE_EXTENSION if approve else DemandAction.REJECT_EXTENSION,
        actor=actor,
        expected_version=expected_version,
        at=at,
        note=note,
        change=change,
    )


def reply_demand(
    *,
    demand: Demand,
    actor: Any,
    expected_version: int,
    outcome: Outcome,
    note: str,
    at: dt.datetime | None = None,
) -> Demand:
    """The lead department replies with what it did and how the demand stands."""
    note = _required(note, "note", _("请填写答复内容"))
    if outcome not in Outcome.values or outcome in (Outcome.WITHDRAWN, Outcome.DUPLICATE):
        raise ValidationError({"outcome": _("请选择办理结果")})

    def change(d: Demand, at: dt.datetime) -> None:
        d.outcome = outcome
        d.reply = note
        d.replied_at = at

    return _apply(
        demand=demand,
        action=DemandAction.REPLY,
        actor=actor,
        expected_version=expected_version,
        at=at,
        note=note,
        change=change,
    )


def rate_demand(
    *,
    demand: Demand,
    actor: Any,
    expected_version: int,
    contacted: bool,
    solved: bool,
    satisfaction: Satisfaction,
    enterprise: Enterprise | None = None,
    note: str = "",
    return_visit: bool = False,
    at: dt.datetime | None = None,
) -> Demand:
    """The enterprise rates the reply (or, with ``return_visit=True``, the office records the
    same three answers at its return visit, 回访). 不满意, or "not solved" after a reply that
    claimed it solved, sends it back to the lead department to redo (重办) with a fresh deadline
    of the same length; otherwise it closes with the outcome the department gave."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意度")})
    # Redo when the enterprise is dissatisfied, or when the department said "solved" and the
    # enterprise says it is not. A reply that honestly explained why it cannot be solved now is
    # not sent round again just because the enterprise confirms it is unsolved.
    redo = satisfaction == Satisfaction.UNSATISFIED or (not solved and demand.outcome == Outcome.SOLVED)
    if return_visit:
        action = DemandAction.RETURN_VISIT_REDO if redo else DemandAction.RETURN_VISIT
    else:
        action = DemandAction.RATE_REDO if redo else DemandAction.RATE

    def change(d: Demand, at: dt.datetime) -> None:
        d.contacted = contacted
        d.solved = solved
        d.satisfaction = satisfaction
        d.rating_source = RatingSource.RETURN_VISIT if return_visit else RatingSource.ENTERPRISE
        d.rated_at = at
        if redo:
            d.redo_count += 1
            d.outcome = ""
            d.assigned_at = at
            _set_clock(d, _due(at, d.deadline_workdays or DEFAULT_DEADLINE_WORKDAYS))

    return _apply(
        demand=demand,
        action=action,
        actor=actor,
        expected_version=expected_version,
        at=at,
        enterprise=enterprise,
        note=note,
        change=change,
    )


def escalate_demand(
    *,
    demand: Demand,
    actor: Any,
    expected_version: int,
    venue: Venue,
    meeting: str,
    meeting_on: dt.date,
    owner: Staff,
    note: str = "",
    at: dt.datetime | None = None,
) -> Demand:
    """Take the demand to a roundtable, a dispatch meeting or an expert consultation; the
    latter marks it a legacy problem (遗留问题)."""
    meeting = _required(meeting, "meeting", _("请填写会议名称"))
    if venue not in Venue.values:
        raise ValidationError({"venue": _("请选择提级协调方式")})

    def change(d: Demand, at: dt.datetime) -> None:
        if not d.jurisdiction_path.startswith(owner.jurisdiction_path) or not owner.is_active:
            raise ValidationError({"owner": _("责任人不在诉求所在辖区或已离岗")})
        d.venue = venue
        d.meeting = meeting[:100]
        d.meeting_on = meeting_on
        d.escalation_owner = owner
        if venue == Venue.EXPERT:
            d.is_legacy = True

    return _apply(
        demand=demand,
        action=DemandAction.ESCALATE,
        actor=actor,
        expected_version=expected_version,
        at=at,
        note=note or meeting,
        change=change,
    )


def decide_escalation(
    *,
    demand: Demand,
    actor: Any,
    expected_version: int,
    note: str,
    department: Department | None = None,
    workdays_limit: int | None = None,
    co_departments: Iterable[Department] = (),
    outcome: Outcome | None = None,
    at: dt.datetime | None = None,
) -> Demand:
    """Record the meeting's decision: either re-assign (`department` and `workdays_limit`, a
    new deadline) or close with an `outcome`."""
    note = _required(note, "note", _("请填写协调结论"))
    if (department is None) == (outcome is None):
        raise ValidationError({"outcome": _("请选择重新交办部门或办结结果（二选一）")})
    if department is not None:
        if workdays_limit is None:
            raise ValidationError({"workdays": _("请填写答复时限")})
        limit = workdays_limit
        return _apply(
            demand=demand,
            action=DemandAction.DECIDE_REASSIGN,
            actor=actor,
            expected_version=expected_version,
            at=at,
            note=note,
            change=lambda d, at: _assign(d, at, department, co_departments, limit),
        )
    return _close(demand, DemandAction.DECIDE_CLOSE, actor, expected_version, outcome, note, at)


def _close(
    demand: Demand,
    action: DemandAction,
    actor: Any,
    expected_version: int,
    outcome: Outcome | None,
    note: str,
    at: dt.datetime | None,
    enterprise: Enterprise | None = None,
) -> Demand:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择办结结果")})

    def change(d: Demand, at: dt.datetime) -> None:
        d.outcome = str(outcome)

    return _apply(
        demand=demand,
        action=action,
        actor=actor,
        expected_version=expected_version,
        at=at,
        enterprise=enterprise,
        note=note,
        change=change,
    )


def close_demand(
    *,
    demand: Demand,
    actor: Any,
    expected_version: int,
    outcome: Outcome,
    note: str,
    at: dt.datetime | None = None,
) -> Demand:
    """The office closes a demand that needs no department (a duplicate, not our remit …)."""
    note = _required(note, "note", _("请填写办结说明"))
    return _close(demand, DemandAction.CLOSE, actor, expected_version, outcome, note, at)


def withdraw_demand(
    *,
    demand: Demand,
    actor: Any,
    expected_version: int,
    note: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Demand:
    """The enterprise withdraws its demand (itself, or through its liaison or the office)."""
    note = _required(note, "note", _("请填写撤回原因"))
    return _close(
        demand, DemandAction.WITHDRAW, actor, expected_version, Outcome.WITHDRAWN, note, at, enterprise
    )


def supervise_demand(
    *, demand: Demand, actor: Any, expected_version: int, note: str, at: dt.datetime | None = None
) -> Demand:
    """Supervision (督办): the office or a leader puts the demand under watch, with a note."""
    note = _required(note, "note", _("请填写督办意见"))

    def change(d: Demand, at: dt.datetime) -> None:
        d.supervised_at = d.supervised_at or at

    return _apply(
        demand=demand,
        action=DemandAction.SUPERVISE,
        actor=actor,
        expected_version=expected_version,
        at=at,
        note=note,
        change=change,
    )


def remind_demand(
    *, demand: Demand, actor: Any, expected_version: int, note: str = "", at: dt.datetime | None = None
) -> Demand:
    """A reminder (催办) to the lead department; the state does not change."""
    return _apply(
        demand=demand,
        action=DemandAction.REMIND,
        actor=actor,
        expected_version=expected_version,
        at=at,
        note=note,
    )


def merge_demands(
    *,
    demand: Demand,
    into: Demand,
    actor: Any,
    expected_version: int,
    note: str,
    at: dt.datetime | None = None,
) -> Demand:
    """Close `demand` as a duplicate of `into` (合并): it keeps its own history, gains a link
    to the demand it repeats and closes with the outcome "duplicate"; `into` records that a
    duplicate was merged into it. Both rows are locked, in id order so that two merges never
    deadlock."""
    note = _required(note, "note", _("请填写合并说明"))
    if into.pk == demand.pk:
        raise ValidationError({"into": _("不能与自身合并")})
    at = at or timezone.now()
    with transaction.atomic():
        locked = {
            d.pk: d
            for d in Demand.objects.select_for_update(of=("self",))
            .select_related("enterprise")
            .filter(pk__in=[demand.pk, into.pk])
            .order_by("pk")
        }
        kept = locked[into.pk]
        if kept.enterprise_id != locked[demand.pk].enterprise_id:
            raise ValidationError({"into": _("只能合并同一企业的诉求")})
        if kept.state == DemandState.CLOSED:
            raise ValidationError({"into": _("保留的诉求已办结，请选择仍在办理的诉求")})
        if kept.merged_into_id is not None:
            raise ValidationError({"into": _("保留的诉求本身已被合并")})

        def change(d: Demand, at: dt.datetime) -> None:
            d.outcome = Outcome.DUPLICATE
            d.merged_into = kept

        merged = _apply(
            demand=locked[demand.pk],
            action=DemandAction.MERGE,
            actor=actor,
            expected_version=expected_version,
            at=at,
            note=note,
            change=change,
        )
        _record(kept, MERGED_IN, kept.state, actor, f"#{merged.pk} {note}", at)
    return merged
