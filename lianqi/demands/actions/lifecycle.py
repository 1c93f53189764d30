"""The steps of a demand's lifecycle: one keyword-only, typed action per step of the table
(`workflow.TABLE`), each on core's `take_step`, which runs it in one transaction: lock the
demand, refuse a stale `expected_version` (naming who changed it), check the table for the
actor, apply the step's change, write the `DemandEvent` (whose `recorded` hook queues the
notifications and marks the statistics stale). An enterprise acting through its code passes
``actor=None, enterprise=…``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core import calendar_store, workdays
from lianqi.core.actors import Actor
from lianqi.core.workflow import Step, required_text, take_step
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department, Staff

from ..choices import DemandAction, DemandState, Outcome, RatingSource, Satisfaction, Venue
from ..models import DEFAULT_DEADLINE_WORKDAYS, Demand
from ..workflow import WORKFLOW

#: An event of a demand into which a duplicate was merged (not a step of the table: the kept
#: demand's state does not change).
MERGED_IN = "merged_in"

Change = Callable[[Step[Demand]], None]


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


def _closing(step: Step[Demand]) -> None:
    # Entering "closed" from an open state is the moment the loop closed.
    if step.row.state == DemandState.CLOSED and step.from_state != DemandState.CLOSED:
        step.row.closed_at = step.at


def _step(
    demand: Demand,
    action: DemandAction,
    actor: Actor | None,
    expected_version: int,
    at: dt.datetime | None,
    *,
    note: str = "",
    change: Change | None = None,
    enterprise: Enterprise | None = None,
) -> Demand:
    """One step on the kit, with what entering a state implies for every demand step."""
    return take_step(
        WORKFLOW,
        row=demand,
        action=action,
        actor=actor,
        expected_version=expected_version,
        at=at,
        enterprise=enterprise,
        note=note,
        change=change,
        entered=_closing,
    )


# --- Resolution ladder -----------------------------------------------------------------------


def solve_demand_on_spot(
    *, demand: Demand, actor: Actor | None, expected_version: int, note: str, at: dt.datetime | None = None
) -> Demand:
    """The liaison solved it on the spot (当即解决); `note` says what was done."""
    note = required_text(note, "note", _("请说明当即解决的办法"))

    def change(step: Step[Demand]) -> None:
        step.row.outcome = Outcome.SOLVED
        step.row.solved_on_spot = True
        step.row.reply = note
        step.row.replied_at = step.at

    return _step(demand, DemandAction.SOLVE_ON_SPOT, actor, expected_version, at, note=note, change=change)


def _assign(department: Department, co: Iterable[Department], n: int) -> Change:
    """The change of a step that puts the demand in `department`'s hands with a fresh deadline
    of `n` working days from now (and `co` as co-handling departments)."""

    def change(step: Step[Demand]) -> None:
        d = step.row
        _check_department(d, department)
        others = [c for c in co if c.pk != department.pk]
        for c in others:
            _check_department(d, c)
        _check_workdays(n)
        d.lead_department = department
        d.assigned_at = step.at
        d.deadline_workdays = n
        d.extension_workdays = None
        d.extension_reason = ""
        _set_clock(d, _due(step.at, n))
        d.save()
        d.co_departments.set(others)

    return change


def assign_demand(
    *,
    demand: Demand,
    actor: Actor | None,
    expected_version: int,
    department: Department,
    workdays_limit: int,
    co_departments: Iterable[Department] = (),
    note: str = "",
    at: dt.datetime | None = None,
) -> Demand:
    """Assign to a lead department (限时交办) with a reply deadline in working days; the clock
    starts now, not when the department signs for it."""
    change = _assign(department, co_departments, workdays_limit)
    return _step(demand, DemandAction.ASSIGN, actor, expected_version, at, note=note, change=change)


def sign_demand(
    *, demand: Demand, actor: Actor | None, expected_version: int, at: dt.datetime | None = None
) -> Demand:
    """The lead department signs for the demand (签收)."""
    return _step(demand, DemandAction.SIGN, actor, expected_version, at)


def start_demand(
    *, demand: Demand, actor: Actor | None, expected_version: int, at: dt.datetime | None = None
) -> Demand:
    """The lead department starts handling it (办理中)."""
    return _step(demand, DemandAction.START, actor, expected_version, at)


def send_back_demand(
    *, demand: Demand, actor: Actor | None, expected_version: int, reason: str, at: dt.datetime | None = None
) -> Demand:
    """The department sends back a wrongly routed demand. The deadline stays: the clock that
    started at assignment keeps running while the office re-routes."""
    reason = required_text(reason, "reason", _("请填写退回理由"))

    def change(step: Step[Demand]) -> None:
        step.row.send_back_reason = reason[:200]

    return _step(demand, DemandAction.SEND_BACK, actor, expected_version, at, note=reason, change=change)


def reroute_demand(
    *,
    demand: Demand,
    actor: Actor | None,
    expected_version: int,
    department: Department,
    note: str = "",
    at: dt.datetime | None = None,
) -> Demand:
    """The office rules on a sent-back demand: it goes to `department` (the same one when the
    office finds it was routed right) with the original deadline."""

    def change(step: Step[Demand]) -> None:
        _check_department(step.row, department)
        step.row.lead_department = department

    return _step(demand, DemandAction.REROUTE, actor, expected_version, at, note=note, change=change)


def request_extension(
    *,
    demand: Demand,
    actor: Actor | None,
    expected_version: int,
    workdays_limit: int,
    reason: str,
    at: dt.datetime | None = None,
) -> Demand:
    """The department asks for more working days; the office or a leader decides."""
    reason = required_text(reason, "reason", _("请填写延期理由"))

    def change(step: Step[Demand]) -> None:
        _check_workdays(workdays_limit)
        step.row.extension_workdays = workdays_limit
        step.row.extension_reason = reason[:200]

    return _step(
        demand, DemandAction.REQUEST_EXTENSION, actor, expected_version, at, note=reason, change=change
    )


def decide_extension(
    *,
    demand: Demand,
    actor: Actor | None,
    expected_version: int,
    approve: bool,
    note: str = "",
    at: dt.datetime | None = None,
) -> Demand:
    """Approve (the deadline moves by the requested working days) or reject a request."""

    def change(step: Step[Demand]) -> None:
        d = step.row
        if approve and d.due_on is not None and d.extension_workdays:
            _set_clock(
                d, workdays.add_workdays(d.due_on, d.extension_workdays, calendar_store.get_calendar())
            )
        d.extension_workdays = None

    action = DemandAction.APPROVE_EXTENSION if approve else DemandAction.REJECT_EXTENSION
    return _step(demand, action, actor, expected_version, at, note=note, change=change)


def reply_demand(
    *,
    demand: Demand,
    actor: Actor | None,
    expected_version: int,
    outcome: Outcome,
    note: str,
    at: dt.datetime | None = None,
) -> Demand:
    """The lead department replies with what it did and how the demand stands."""
    note = required_text(note, "note", _("请填写答复内容"))
    if outcome not in Outcome.values or outcome in (Outcome.WITHDRAWN, Outcome.DUPLICATE):
        raise ValidationError({"outcome": _("请选择办理结果")})

    def change(step: Step[Demand]) -> None:
        step.row.outcome = outcome
        step.row.reply = note
        step.row.replied_at = step.at

    return _step(demand, DemandAction.REPLY, actor, expected_version, at, note=note, change=change)


def rate_demand(
    *,
    demand: Demand,
    actor: Actor | None,
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

    def change(step: Step[Demand]) -> None:
        d = step.row
        d.contacted = contacted
        d.solved = solved
        d.satisfaction = satisfaction
        d.rating_source = RatingSource.RETURN_VISIT if return_visit else RatingSource.ENTERPRISE
        d.rated_at = step.at
        step.event["satisfaction"] = satisfaction
        if redo:
            d.redo_count += 1
            d.outcome = ""
            d.assigned_at = step.at
            _set_clock(d, _due(step.at, d.deadline_workdays or DEFAULT_DEADLINE_WORKDAYS))

    return _step(demand, action, actor, expected_version, at, note=note, change=change, enterprise=enterprise)


def escalate_demand(
    *,
    demand: Demand,
    actor: Actor | None,
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
    meeting = required_text(meeting, "meeting", _("请填写会议名称"))
    if venue not in Venue.values:
        raise ValidationError({"venue": _("请选择提级协调方式")})

    def change(step: Step[Demand]) -> None:
        d = step.row
        if not d.jurisdiction_path.startswith(owner.jurisdiction_path) or not owner.is_active:
            raise ValidationError({"owner": _("责任人不在诉求所在辖区或已离岗")})
        d.venue = venue
        d.meeting = meeting[:100]
        d.meeting_on = meeting_on
        d.escalation_owner = owner
        if venue == Venue.EXPERT:
            d.is_legacy = True

    return _step(
        demand, DemandAction.ESCALATE, actor, expected_version, at, note=note or meeting, change=change
    )


def decide_escalation(
    *,
    demand: Demand,
    actor: Actor | None,
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
    note = required_text(note, "note", _("请填写协调结论"))
    if (department is None) == (outcome is None):
        raise ValidationError({"outcome": _("请选择重新交办部门或办结结果（二选一）")})
    if department is not None:
        if workdays_limit is None:
            raise ValidationError({"workdays": _("请填写答复时限")})
        change = _assign(department, co_departments, workdays_limit)
        return _step(
            demand, DemandAction.DECIDE_REASSIGN, actor, expected_version, at, note=note, change=change
        )
    return _close(demand, DemandAction.DECIDE_CLOSE, actor, expected_version, outcome, note, at)


def _close(
    demand: Demand,
    action: DemandAction,
    actor: Actor | None,
    expected_version: int,
    outcome: Outcome | None,
    note: str,
    at: dt.datetime | None,
    enterprise: Enterprise | None = None,
) -> Demand:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择办结结果")})

    def change(step: Step[Demand]) -> None:
        step.row.outcome = str(outcome)

    return _step(demand, action, actor, expected_version, at, note=note, change=change, enterprise=enterprise)


def close_demand(
    *,
    demand: Demand,
    actor: Actor | None,
    expected_version: int,
    outcome: Outcome,
    note: str,
    at: dt.datetime | None = None,
) -> Demand:
    """The office closes a demand that needs no department (a duplicate, not our remit …)."""
    note = required_text(note, "note", _("请填写办结说明"))
    return _close(demand, DemandAction.CLOSE, actor, expected_version, outcome, note, at)


def withdraw_demand(
    *,
    demand: Demand,
    actor: Actor | None,
    expected_version: int,
    note: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Demand:
    """The enterprise withdraws its demand (itself, or through its liaison or the office)."""
    note = required_text(note, "note", _("请填写撤回原因"))
    return _close(
        demand, DemandAction.WITHDRAW, actor, expected_version, Outcome.WITHDRAWN, note, at, enterprise
    )


def supervise_demand(
    *, demand: Demand, actor: Actor | None, expected_version: int, note: str, at: dt.datetime | None = None
) -> Demand:
    """Supervision (督办): the office or a leader puts the demand under watch, with a note."""
    note = required_text(note, "note", _("请填写督办意见"))

    def change(step: Step[Demand]) -> None:
        step.row.supervised_at = step.row.supervised_at or step.at

    return _step(demand, DemandAction.SUPERVISE, actor, expected_version, at, note=note, change=change)


def remind_demand(
    *,
    demand: Demand,
    actor: Actor | None,
    expected_version: int,
    note: str = "",
    at: dt.datetime | None = None,
) -> Demand:
    """A reminder (催办) to the lead department; the state does not change."""
    return _step(demand, DemandAction.REMIND, actor, expected_version, at, note=note)


def merge_demands(
    *,
    demand: Demand,
    into: Demand,
    actor: Actor | None,
    expected_version: int,
    note: str,
    at: dt.datetime | None = None,
) -> Demand:
    """Close `demand` as a duplicate of `into` (合并): it keeps its own history, gains a link
    to the demand it repeats and closes with the outcome "duplicate"; `into` records that a
    duplicate was merged into it. Both rows are locked, in id order so that two merges never
    deadlock."""
    note = required_text(note, "note", _("请填写合并说明"))
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

        def change(step: Step[Demand]) -> None:
            step.row.outcome = Outcome.DUPLICATE
            step.row.merged_into = kept

        merged = _step(
            locked[demand.pk], DemandAction.MERGE, actor, expected_version, at, note=note, change=change
        )
        WORKFLOW.record(
            kept, action=MERGED_IN, from_state=kept.state, actor=actor, at=at, note=f"#{merged.pk} {note}"
        )
    return merged
