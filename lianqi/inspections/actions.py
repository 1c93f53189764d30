"""Every write of enforcement inspections: registering one (赋码, with its checks), merging
several into a joint visit, the steps of the table (`workflow.TABLE`) on core's `take_step` —
check-in by scanning the enterprise's code, the result, cancelling —, the enterprise's rating,
running a random draw that registers the inspections it picks, and keeping the departments'
pools of inspectors and the enterprises' quiet periods. An enterprise acting
through its code passes ``actor=None, enterprise=…``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core import calendar_store, workdays
from lianqi.core.actors import Actor
from lianqi.core.excel import HeaderError, read_rows
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Step, required_text, take_step
from lianqi.demands.actions import submit_demand
from lianqi.demands.choices import Channel
from lianqi.demands.models import Category, Demand
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department, Jurisdiction, Staff
from lianqi.policies.subjects import parsed_condition

from . import cells, checks, drawing, lenient
from . import items as items_sheet
from .choices import (
    REACTIVE_TRIGGERS,
    Finding,
    FollowUp,
    InspectionAction,
    InspectionState,
    ItemKind,
    LenientKind,
    Trigger,
    VisitKind,
)
from .models import (
    FrequencyCaps,
    Inspection,
    InspectionDraw,
    InspectionItem,
    Inspector,
    JointVisit,
    LenientItem,
    QuietPeriod,
    Rating,
    new_inspection_code,
)
from .permissions import own_department_id, registers_only_for_own_department
from .warnings import warn_repeated_inspection
from .workflow import workflow


def register_inspection(
    *,
    enterprise: Enterprise,
    department: Department,
    inspectors: Sequence[Inspector],
    planned_on: dt.date,
    trigger: str,
    actor: Actor | None,
    item: InspectionItem | None = None,
    legal_basis: str = "",
    task: str = "",
    plan_reference: str = "",
    trigger_note: str = "",
    exception_reason: str = "",
    visit_kind: str = VisitKind.ENFORCEMENT,
    draw_row: InspectionDraw | None = None,
    join: Inspection | None = None,
    at: dt.datetime | None = None,
) -> Inspection:
    """Register an inspection before entry and give it its code (赋码). With `join` — another
    department's registered inspection of the enterprise within the jurisdiction's joint window
    (`checks.joint_window`; the same day by default) — it is merged into that visit on that
    visit's day (综合查一次): one visit for the caps, one code at the gate. It is registered
    against a published item of the department's list (检查事项清单) whose rule the enterprise
    meets; the item supplies the legal basis and the task (a draw's inspections take the
    draw's). Refused, field by field, without such an item, without a filed plan or a stated
    trigger, with an inspector not qualified or not in the department's pool, or on plan or by
    draw in the enterprise's quiet period (免检). Over a frequency cap or the item's yearly cap
    it is refused naming the rule — unless the handler gives a reason (`exception_reason`):
    then it awaits the service office's approval, without a code until approved. A draw's
    inspections are drawn in public, so over a cap they are registered and flagged instead."""
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    if actor is not None and not path_visible(actor, enterprise.jurisdiction_path):
        raise ValidationError({"enterprise": _("不能为您管辖范围以外的企业登记检查")})
    if not enterprise.jurisdiction_path.startswith(department.jurisdiction_path):
        errors["department"] = [_("该部门不管辖这家企业")]
    elif (
        actor is not None
        and registers_only_for_own_department(actor)
        and department.pk != own_department_id(actor)
    ):
        errors["department"] = [_("部门经办人只能为本部门登记检查")]
    if item is None and draw_row is None:
        errors["item"] = [_("请选择本部门已公布的检查事项")]
    elif item is not None and "department" not in errors:
        problem = checks.item_problem(item, enterprise, department, planned_on)
        if problem:
            errors["item"] = [problem]
    if item is not None and draw_row is None:
        legal_basis, task = item.legal_basis, item.name
    legal_basis = (legal_basis or "").strip()
    task = (task or "").strip()
    if not legal_basis and "item" not in errors:
        errors["legal_basis"] = [_("请填写检查依据")]
    if not task and "item" not in errors:
        errors["task"] = [_("请填写检查事项")]
    if trigger not in Trigger.values:
        errors["trigger"] = [_("请选择检查来源")]
    elif trigger == Trigger.PLAN and not plan_reference.strip():
        errors["plan_reference"] = [_("按计划检查须填写已备案的检查计划文号")]
    elif trigger in REACTIVE_TRIGGERS and not trigger_note.strip():
        errors["trigger_note"] = [_("请说明投诉举报或转办交办的来源")]
    elif trigger == Trigger.DRAW and draw_row is None:
        errors["trigger"] = [_("随机抽查的检查只能由抽查结果登记")]
    if visit_kind not in VisitKind.values:
        errors["visit_kind"] = [_("检查性质应为执法检查或服务性检查")]
    if not inspectors:
        errors["inspectors"] = [_("请至少选择一名检查人员")]
    else:
        problems = checks.inspector_problems(inspectors, department, planned_on)
        if problems:
            errors["inspectors"] = problems
        elif len(inspectors) < 2:
            # Enforcement is done in pairs: one inspector alone may not enter.
            errors["inspectors"] = [_("执法检查须由两名以上执法人员进行")]
    if trigger not in REACTIVE_TRIGGERS:
        quiet = checks.quiet_period(enterprise, planned_on)
        quiet_by_rule = checks.quiet_by_rule(enterprise, planned_on) if quiet is None else ""
        if quiet is not None:
            errors["planned_on"] = [
                _("企业在免检期内（%(start)s 至 %(end)s：%(reason)s），只受理投诉举报和转办交办的检查")
                % {"start": quiet.starts_on, "end": quiet.ends_on, "reason": quiet.reason}
            ]
        elif quiet_by_rule:
            errors["planned_on"] = [
                _("企业符合本辖区“无事不扰”条件（%(note)s），只受理投诉举报和转办交办的检查")
                % {"note": quiet_by_rule}
            ]
    if (
        join is not None
        and not checks.joint_candidates(enterprise, department, planned_on).filter(pk=join.pk).exists()
    ):
        errors["join"] = [_("只能加入其他部门在合并期限内登记、尚未入企的本企业检查")]
    if errors:
        raise ValidationError(errors)
    if join is not None:
        # One visit, one day: a registration joining another department's visit takes its day.
        planned_on = join.planned_on
    exception_reason = (exception_reason or "").strip()[:500]
    with transaction.atomic():
        # Lock the enterprise so two registrations of the same day see each other's counts.
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        warnings = checks.cap_warnings(enterprise, planned_on, joins=join)
        yearly = checks.yearly_cap_warning(item, enterprise, planned_on) if item is not None else ""
        over = bool(warnings or yearly)
        if over and draw_row is None and not exception_reason:
            refusal: dict[str, list[str]] = {}
            if warnings:
                refusal["planned_on"] = warnings
            if yearly:
                refusal["item"] = [yearly]
            refusal["exception_reason"] = [_("确需超频次检查的，请填写理由，报营商办审批")]
            raise ValidationError(refusal)
        awaiting = over and draw_row is None
        row = Inspection.objects.create(
            jurisdiction_id=enterprise.jurisdiction_id,
            enterprise=enterprise,
            department=department,
            item=item,
            legal_basis=legal_basis,
            task=task,
            trigger=trigger,
            visit_kind=visit_kind,
            plan_reference=plan_reference.strip(),
            trigger_note=trigger_note.strip(),
            planned_on=planned_on,
            draw=draw_row,
            cap_warnings=[*warnings, *([yearly] if yearly else [])],
            exception_reason=exception_reason if awaiting else "",
            state=InspectionState.AWAITING if awaiting else InspectionState.REGISTERED,
            code=None if awaiting else new_inspection_code(),
            last_actor=actor,
            last_changed_at=at,
        )
        row.inspectors.set(inspectors)
        note = _("超频次检查，报营商办审批：%(reason)s") % {"reason": exception_reason} if awaiting else ""
        workflow.record(row, action=InspectionAction.CREATE, from_state="", actor=actor, at=at, note=note)
        # Over a cap, the office hears of it: it approves the request (or a drawn inspection
        # flagged over a cap) or merges the visits.
        warn_repeated_inspection(row, at=at)
        if join is not None and not awaiting and actor is not None:
            _join_visit(row, join, actor=actor, at=at)
            row.refresh_from_db()
    return row


def _join_visit(row: Inspection, other: Inspection, *, actor: Actor, at: dt.datetime) -> None:
    """Put a just-registered inspection into the visit of `other` (a joint visit it leads or
    is part of, else a new one led by `other`'s department)."""
    if other.joint_visit_id is None:
        merge_joint_visit(inspections=[other, row], lead_department=other.department, actor=actor, at=at)
        return
    Inspection.objects.filter(pk=row.pk).update(joint_visit_id=other.joint_visit_id)
    workflow.record(
        row, action=InspectionAction.CREATE, from_state=row.state, actor=actor, at=at, note=_("并入联合检查")
    )


def approve_inspection(
    *,
    inspection: Inspection,
    actor: Actor | None,
    expected_version: int,
    note: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Inspection:
    """The service office approves an over-cap inspection with its reason: the inspection
    gets its code; the approval and the reason are the event's note."""

    def change(step: Step[Inspection]) -> None:
        step.note = required_text(note, "note", _("请填写审批意见"))
        step.row.code = new_inspection_code()

    return take_step(
        workflow,
        row=inspection,
        action=InspectionAction.APPROVE,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def refuse_inspection(
    *,
    inspection: Inspection,
    actor: Actor | None,
    expected_version: int,
    note: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Inspection:
    """The service office refuses an over-cap inspection, saying why: no code is issued."""

    def change(step: Step[Inspection]) -> None:
        step.note = required_text(note, "note", _("请填写不予批准的理由"))

    return take_step(
        workflow,
        row=inspection,
        action=InspectionAction.REFUSE,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def merge_joint_visit(
    *,
    inspections: Sequence[Inspection],
    lead_department: Department,
    actor: Actor,
    at: dt.datetime | None = None,
) -> JointVisit:
    """Merge several departments' registered inspections of one enterprise on one day into one
    joint visit (综合查一次): the firm opens its gate once, and the caps count one visit."""
    at = at or timezone.now()
    rows = list(inspections)
    if len(rows) < 2:
        raise ValidationError({"inspections": _("联合检查至少合并两项检查")})
    if len({r.enterprise_id for r in rows}) != 1 or len({r.planned_on for r in rows}) != 1:
        raise ValidationError({"inspections": _("只能合并同一企业同一天的检查")})
    if any(r.state != InspectionState.REGISTERED for r in rows):
        raise ValidationError({"inspections": _("只能合并尚未入企的检查")})
    if lead_department.pk not in {r.department_id for r in rows}:
        raise ValidationError({"lead_department": _("牵头部门须是参与检查的部门之一")})
    if not all(path_visible(actor, r.jurisdiction_path) for r in rows):
        raise ValidationError({"inspections": _("不能合并您管辖范围以外的检查")})
    first = rows[0]
    with transaction.atomic():
        locked = list(Inspection.objects.select_for_update().filter(pk__in=[r.pk for r in rows]))
        visit = JointVisit.objects.create(
            jurisdiction_id=first.jurisdiction_id,
            enterprise_id=first.enterprise_id,
            planned_on=first.planned_on,
            lead_department=lead_department,
        )
        for row in locked:
            row.joint_visit = visit
            row.version += 1
            row.last_actor = actor
            row.last_changed_at = at
            row.save(update_fields=["joint_visit", "version", "last_actor", "last_changed_at"])
            workflow.record(
                row,
                action=InspectionAction.CREATE,
                from_state=row.state,
                actor=actor,
                at=at,
                note=_("并入联合检查"),
            )
    return visit


def check_in_inspection(
    *,
    inspection: Inspection,
    actor: Actor | None,
    expected_version: int,
    scanned_code: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Inspection:
    """Check in on entry: the inspector scans the enterprise's code at the gate, which proves
    being there; a code of another enterprise is refused."""

    def change(step: Step[Inspection]) -> None:
        scanned = required_text(scanned_code, "scanned_code", _("请扫描企业的营商码"))
        # The scan gives the code's address (…/c/<token>/) or the token itself.
        token = scanned.rstrip("/").rsplit("/", 1)[-1]
        if token != step.row.enterprise.code_token:
            raise ValidationError({"scanned_code": _("扫描的不是被检查企业的营商码")})
        step.row.checked_in_at = step.at

    return take_step(
        workflow,
        row=inspection,
        action=InspectionAction.CHECK_IN,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


#: The longest rectification deadline a finding may set, in working days.
MAX_RECTIFICATION_DAYS = 180


def lenient_item_for(inspection: Inspection, value: LenientItem | int | str | None) -> LenientItem | None:
    """The lenient-list item a penalty cites: one published in the inspection's jurisdiction
    (or above it) by its department or by no department in particular; None when none is given."""
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, LenientItem) else value
    candidates = LenientItem.objects.filter(pk=pk).filter(
        Q(department__isnull=True) | Q(department_id=inspection.department_id)
    )
    found = next(
        (i for i in candidates if inspection.jurisdiction_path.startswith(i.jurisdiction_path)), None
    )
    if found is None:
        raise ValidationError({"lenient_item": _("请从本部门公布的柔性执法清单中选择适用事项")})
    return found


def _working_days(value: int | str | None) -> int:
    try:
        days = int(value) if value not in (None, "") else 0
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_RECTIFICATION_DAYS:
        raise ValidationError(
            {
                "rectification_days": _("责令整改须填写整改期限：1 至 %(max)s 个工作日")
                % {"max": MAX_RECTIFICATION_DAYS}
            }
        )
    return days


def close_inspection(
    *,
    inspection: Inspection,
    actor: Actor | None,
    expected_version: int,
    finding: str,
    result: str = "",
    rectification_days: int | str | None = None,
    lenient_item: LenientItem | int | str | None = None,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Inspection:
    """Record what the inspection found, which closes it: no problem found; an order to
    rectify within a number of working days (the deadline is counted on the working-day
    calendar from the day it is recorded, and followed up later); or a penalty, citing the
    lenient-list item (免罚 / 从轻 / 减轻) that applied, if one did. `result` is the note."""

    def change(step: Step[Inspection]) -> None:
        row = step.row
        if finding not in Finding.values:
            raise ValidationError({"finding": _("请选择检查结论")})
        row.finding = finding
        row.result = (result or "").strip()
        row.rectification_days = row.rectification_due_on = None
        row.lenient_item = None
        if finding == Finding.RECTIFICATION:
            row.rectification_days = _working_days(rectification_days)
            today = workdays.shanghai_date(step.at)
            row.rectification_due_on = workdays.add_workdays(
                today, row.rectification_days, calendar_store.get_calendar()
            ).day
        elif finding == Finding.PENALTY:
            row.lenient_item = lenient_item_for(row, lenient_item)
        step.note = " ".join(
            part
            for part in (
                str(Finding(finding).label),
                _("整改期限至 %(day)s") % {"day": row.rectification_due_on}
                if row.rectification_due_on
                else "",
                str(row.lenient_item) if row.lenient_item else "",
                row.result,
            )
            if part
        )

    return take_step(
        workflow,
        row=inspection,
        action=InspectionAction.CLOSE,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def confirm_rectified(
    *,
    inspection: Inspection,
    actor: Actor | None,
    expected_version: int,
    rectified_on: dt.date | str | None,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Inspection:
    """Record that an ordered rectification was made, on the day it was (not ahead of today,
    not before the order); made after the deadline it still counts as overdue."""

    def change(step: Step[Inspection]) -> None:
        day = rectified_on
        if isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day) if day else None
            except ValueError:
                day = None
        if not isinstance(day, dt.date):
            raise ValidationError({"rectified_on": _("请填写整改完成日期")})
        ordered = workdays.shanghai_date(step.row.last_changed_at) if step.row.last_changed_at else None
        if day > workdays.shanghai_date(step.at) or (ordered is not None and day < ordered):
            raise ValidationError({"rectified_on": _("整改完成日期须在责令整改之日与今天之间")})
        step.row.rectified_on = day
        step.row.follow_up = FollowUp.RECTIFIED
        step.note = _("%(day)s 已整改") % {"day": day.isoformat()}

    return take_step(
        workflow,
        row=inspection,
        action=InspectionAction.CONFIRM_RECTIFIED,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def escalate_rectification(
    *,
    inspection: Inspection,
    actor: Actor | None,
    expected_version: int,
    note: str,
    lenient_item: LenientItem | int | str | None = None,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Inspection:
    """Record that an ordered rectification was not made and what follows (e.g. a penalty,
    citing the lenient-list item that applied, if one did)."""

    def change(step: Step[Inspection]) -> None:
        step.note = required_text(note, "note", _("请说明升级处理的措施，例如立案处罚"))
        step.row.lenient_item = lenient_item_for(step.row, lenient_item)
        step.row.follow_up = FollowUp.ESCALATED
        if step.row.lenient_item is not None:
            step.note = f"{step.note} {step.row.lenient_item}"

    return take_step(
        workflow,
        row=inspection,
        action=InspectionAction.ESCALATE,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def cancel_inspection(
    *,
    inspection: Inspection,
    actor: Actor | None,
    expected_version: int,
    note: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Inspection:
    """Cancel an inspection not yet made, saying why (the reason is the event's note)."""

    def change(step: Step[Inspection]) -> None:
        step.note = required_text(note, "note", _("请填写取消理由"))

    return take_step(
        workflow,
        row=inspection,
        action=InspectionAction.CANCEL,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def rate_inspection(
    *,
    inspection: Inspection,
    enterprise: Enterprise,
    conduct: object,
    disturbance: object,
    clarity: object,
    comment: str = "",
    at: dt.datetime | None = None,
) -> Rating:
    """The inspected enterprise rates the visit once it was made, on three counts each 1 to 5:
    the inspectors' conduct, how little it disturbed its work, how clearly it was told the
    basis and the outcome; the score is their mean rounded half up."""
    at = at or timezone.now()
    if inspection.enterprise_id != enterprise.pk:
        raise ValidationError({"inspection": _("只能评价本企业接受的检查")})
    if inspection.state not in (InspectionState.CHECKED_IN, InspectionState.CLOSED):
        raise ValidationError({"inspection": _("检查人员入企后才能评价")})
    counts: dict[str, int] = {}
    errors: dict[str, str] = {}
    for name, given in (("conduct", conduct), ("disturbance", disturbance), ("clarity", clarity)):
        try:
            value = int(str(given))
        except ValueError:
            value = 0
        if not 1 <= value <= 5:
            errors[name] = _("请选择 1 至 5 分")
        counts[name] = value
    if errors:
        raise ValidationError(errors)
    total = sum(counts.values())
    with transaction.atomic():
        if Rating.objects.select_for_update().filter(inspection=inspection).exists():
            raise ValidationError({"inspection": _("这次检查已经评价过了")})
        rating = Rating.objects.create(
            inspection=inspection,
            score=(2 * total + 3) // 6,  # the mean of three, rounded half up
            comment=comment.strip()[:500],
            rated_at=at,
            **counts,
        )
        cells.mark_inspection(inspection)
        return rating


#: The demand category an unregistered entry is filed under (added by a data migration).
INSPECTION_CATEGORY = "执法检查"


def report_unregistered_entry(
    *,
    enterprise: Enterprise,
    description: str,
    contact_name: str,
    contact_phone: str,
    actor: Actor | None = None,
    at: dt.datetime | None = None,
) -> Demand:
    """The enterprise reports that someone came in to inspect without a registered inspection:
    it becomes a demand in the category 执法检查, through the demands' intake action, so it is
    routed, answered and followed like any other."""
    description = required_text(description, "description", _("请说明何时、哪个部门、几人入企检查"))
    category = Category.objects.filter(name=INSPECTION_CATEGORY).first()
    if category is None:
        raise ValidationError({"description": _("暂不能受理，请联系营商办")})
    return submit_demand(
        enterprise=enterprise,
        category=category,
        channel=Channel.ENTERPRISE_ACCOUNT if actor is not None else Channel.ENTERPRISE_CODE,
        description=_("未登记入企检查：%(text)s") % {"text": description},
        actor=actor,
        contact_name=contact_name,
        contact_phone=contact_phone,
        at=at,
    )


def run_draw(
    *,
    department: Department,
    task: str,
    legal_basis: str,
    planned_on: dt.date,
    enterprise_count: int,
    team_size: int,
    actor: Actor,
    entropy: str = "",
    at: dt.datetime | None = None,
) -> InspectionDraw:
    """Run a random draw (双随机) for a department's plan from the app's pools — the
    enterprises of the department's jurisdiction outside a quiet period, and the department's
    qualified inspectors, with each enterprise's liaison recused —, publish its document (一公开)
    and register one inspection per drawn enterprise with its drawn team."""
    at = at or timezone.now()
    if not path_visible(actor, department.jurisdiction_path):
        raise ValidationError({"department": _("不能为您管辖范围以外的部门抽查")})
    task = required_text(task, "task", _("请填写抽查任务"))
    legal_basis = required_text(legal_basis, "legal_basis", _("请填写检查依据"))
    if team_size < 2:
        raise ValidationError({"team_size": _("执法检查须由两名以上执法人员进行")})
    pools, enterprises, inspectors = drawing.pools_for(department, planned_on)
    published = drawing.run(
        pools, enterprise_count=enterprise_count, team_size=team_size, entropy=entropy, task=task
    )
    with transaction.atomic():
        row = InspectionDraw.objects.create(
            jurisdiction_id=department.jurisdiction_id,
            department=department,
            task=task,
            legal_basis=legal_basis,
            planned_on=planned_on,
            enterprise_count=enterprise_count,
            team_size=team_size,
            commitment=published["commitment"],
            fingerprint=published["fingerprint"],
            document=published,
            seed=published["seed"],
            drawn_at=at,
            drawn_by=actor,
        )
        _register_drawn(row, enterprises, inspectors, actor=actor, at=at)
    return row


def announce_draw(
    *,
    department: Department,
    task: str,
    legal_basis: str,
    planned_on: dt.date,
    enterprise_count: int,
    team_size: int,
    actor: Actor,
) -> InspectionDraw:
    """Announce a random draw before it is drawn: fix the pools as `run_draw` would take them,
    publish their fingerprint, the parameters and the commitment (hash) of a secret seed kept
    until `perform_draw` reveals it — so nobody, the office included, can pick the seed after
    seeing the pools. A draw the pools cannot serve is refused now, saying by how many."""
    if not path_visible(actor, department.jurisdiction_path):
        raise ValidationError({"department": _("不能为您管辖范围以外的部门抽查")})
    task = required_text(task, "task", _("请填写抽查任务"))
    legal_basis = required_text(legal_basis, "legal_basis", _("请填写检查依据"))
    if team_size < 2:
        raise ValidationError({"team_size": _("执法检查须由两名以上执法人员进行")})
    pools, _enterprises, _inspectors = drawing.pools_for(department, planned_on)
    announced, seed = drawing.announce(
        pools, enterprise_count=enterprise_count, team_size=team_size, task=task
    )
    return InspectionDraw.objects.create(
        jurisdiction_id=department.jurisdiction_id,
        department=department,
        task=task,
        legal_basis=legal_basis,
        planned_on=planned_on,
        enterprise_count=enterprise_count,
        team_size=team_size,
        commitment=announced["commitment"],
        fingerprint=announced["fingerprint"],
        document=announced,
        seed=seed,
        drawn_by=actor,
    )


def perform_draw(
    *, draw_row: InspectionDraw, actor: Actor, entropy: str = "", at: dt.datetime | None = None
) -> InspectionDraw:
    """Draw an announced draw: from the announced pools (not today's register) with the
    committed seed and the public entropy, reveal the seed in the published document and
    register one inspection per drawn enterprise with its drawn team. Refused once drawn."""
    at = at or timezone.now()
    if not path_visible(actor, draw_row.jurisdiction_path):
        raise ValidationError({"draw": _("不能为您管辖范围以外的部门抽查")})
    with transaction.atomic():
        row = InspectionDraw.objects.select_for_update().select_related("department").get(pk=draw_row.pk)
        if row.is_drawn:
            raise ValidationError({"draw": _("该抽查已经抽取，结果已公示")})
        row.document = drawing.reveal(row.document, row.seed, entropy=(entropy or "").strip())
        row.drawn_at, row.drawn_by = at, actor
        row.save(update_fields=["document", "drawn_at", "drawn_by", "updated_at"])
        drawn = [code for code, _team in drawing.assignments(row.document)]
        teams = {c for _code, team in drawing.assignments(row.document) for c in team}
        enterprises = {
            e.credit_code: e
            for e in Enterprise.objects.filter(
                credit_code__in=drawn, jurisdiction_path__startswith=row.department.jurisdiction_path
            )
        }
        inspectors = {i.certificate_no: i for i in Inspector.objects.filter(certificate_no__in=teams)}
        _register_drawn(row, enterprises, inspectors, actor=actor, at=at)
    return row


def _register_drawn(
    row: InspectionDraw,
    enterprises: dict[str, Enterprise],
    inspectors: dict[str, Inspector],
    *,
    actor: Actor,
    at: dt.datetime,
) -> None:
    """Register one inspection per enterprise of a drawn document, with its drawn team."""
    for enterprise_key, inspector_ids in drawing.assignments(row.document):
        register_inspection(
            enterprise=enterprises[enterprise_key],
            department=row.department,
            legal_basis=row.legal_basis,
            task=row.task,
            inspectors=[inspectors[i] for i in inspector_ids],
            planned_on=row.planned_on,
            trigger=Trigger.DRAW,
            trigger_note=_("随机抽查：%(task)s") % {"task": row.task},
            draw_row=row,
            actor=actor,
            at=at,
        )


def _item_errors(
    *,
    department: Department | None,
    name: str,
    law: str,
    kind: str,
    eligibility: Any,
    yearly_cap: object,
    actor: Actor,
) -> tuple[dict[str, list[str]], dict[str, Any], int]:
    """The field messages of an item's input (shared by the form and the Excel import), the
    rule file to store and the yearly cap as a number."""
    errors: dict[str, list[str]] = {}
    if department is None:
        errors["department"] = [_("请选择部门")]
    elif not path_visible(actor, department.jurisdiction_path):
        errors["department"] = [_("不能管理您管辖范围以外部门的检查事项")]
    elif registers_only_for_own_department(actor) and department.pk != own_department_id(actor):
        errors["department"] = [_("部门经办人只能管理本部门的检查事项")]
    if not name:
        errors["name"] = [_("请填写检查事项")]
    if not law:
        errors["law"] = [_("请填写法律法规")]
    if kind not in ItemKind.values:
        errors["kind"] = [_("检查类别应为双随机抽查、重点检查、投诉举报、转办交办或联合检查")]
    rule, problems = parsed_condition(eligibility, name)
    if problems:
        errors["eligibility"] = problems
    try:
        cap = int(str(yearly_cap))
    except ValueError:
        cap = 0
    if cap < 1:
        errors["yearly_cap"] = [_("每年检查上限须为正整数")]
    return errors, rule, cap


def save_inspection_item(
    *,
    actor: Actor,
    department: Department | None,
    name: str,
    law: str,
    kind: str,
    yearly_cap: object,
    article: str = "",
    eligibility: Any = "",
    rule_note: str = "",
    item: InspectionItem | None = None,
) -> InspectionItem:
    """Add an item to a department's inspection list (检查事项清单), or change one
    (`item`): a draft until it is published. Refused, field by field, for a department outside
    the actor's reach (a handler: outside their own), a name the department already lists, an
    unknown kind, a rule the engine cannot read or a yearly cap below one."""
    name, law, article, rule_note = (
        v.strip() for v in (name or "", law or "", article or "", rule_note or "")
    )
    errors, rule, cap = _item_errors(
        department=department,
        name=name,
        law=law,
        kind=kind,
        eligibility=eligibility,
        yearly_cap=yearly_cap,
        actor=actor,
    )
    if item is not None and not path_visible(actor, item.jurisdiction_path):
        raise ValidationError({"department": _("不能管理您管辖范围以外部门的检查事项")})
    if not errors and department is not None:
        clash = InspectionItem.objects.filter(department=department, name=name)
        if item is not None:
            clash = clash.exclude(pk=item.pk)
        if clash.exists():
            errors["name"] = [
                _("%(department)s已有检查事项“%(name)s”") % {"department": department.name, "name": name}
            ]
    if errors:
        raise ValidationError(errors)
    assert department is not None
    values = {
        "jurisdiction_id": department.jurisdiction_id,
        "department": department,
        "name": name[:200],
        "law": law[:200],
        "article": article[:100],
        "kind": kind,
        "rule": rule,
        "rule_note": rule_note[:200],
        "yearly_cap": cap,
    }
    with transaction.atomic():
        if item is None:
            return InspectionItem.objects.create(**values)
        row = InspectionItem.objects.select_for_update().get(pk=item.pk)
        for field, value in values.items():
            setattr(row, field, value)
        row.save()
        return row


def publish_inspection_item(
    *, item: InspectionItem, actor: Actor, published: bool = True, at: dt.datetime | None = None
) -> InspectionItem:
    """Publish an item of the list (inspections may be registered against it from now on),
    or withdraw it (``published=False``: none from now on; those registered keep it)."""
    at = at or timezone.now()
    if not path_visible(actor, item.jurisdiction_path) or (
        registers_only_for_own_department(actor) and item.department_id != own_department_id(actor)
    ):
        raise ValidationError({"item": _("不能管理您管辖范围以外部门的检查事项")})
    with transaction.atomic():
        row = InspectionItem.objects.select_for_update().get(pk=item.pk)
        if row.is_published != published:
            row.is_published = published
            if published:
                row.published_at, row.withdrawn_at = at, None
            else:
                row.withdrawn_at = at
            row.save(update_fields=["is_published", "published_at", "withdrawn_at", "updated_at"])
    return row


def import_inspection_items(*, jurisdiction: Jurisdiction, source: IO[bytes], actor: Actor) -> int:
    """Add or change the items of an Excel file (`items.COLUMNS`; an item is known by its
    department and name), all or nothing: a file with any bad row changes nothing, and every
    bad field is named by its row. Returns the number of items written."""
    if not path_visible(actor, jurisdiction.path):
        raise ValidationError({"file": _("不能导入您管辖范围以外的检查事项")})
    try:
        _total, rows = read_rows(source, items_sheet.COLUMNS)
        records = list(rows)
    except HeaderError as bad:
        raise ValidationError(
            {
                "file": _("表头不符：缺少 %(missing)s；无法识别 %(unknown)s")
                % {"missing": "、".join(bad.missing) or "—", "unknown": "、".join(bad.unknown) or "—"}
            }
        ) from None
    except Exception:
        raise ValidationError({"file": _("无法读取该文件，请上传 .xlsx 格式的 Excel 文件")}) from None
    departments = {
        d.name: d
        for d in Department.objects.filter(jurisdiction_path__startswith=jurisdiction.path, is_active=True)
    }
    kinds = {str(label): value for value, label in ItemKind.choices} | {v: v for v in ItemKind.values}
    titles = {column.key: column.title for column in items_sheet.COLUMNS}
    problems: list[str] = []
    planned: list[tuple[dict[str, Any], bool]] = []
    seen: set[tuple[int, str]] = set()
    for number, record in records:
        department = departments.get(str(record.get("department") or "").strip())
        name = str(record.get("name") or "").strip()
        errors, rule, cap = _item_errors(
            department=department,
            name=name,
            law=str(record.get("law") or "").strip(),
            kind=kinds.get(str(record.get("kind") or "").strip(), ""),
            eligibility=str(record.get("eligibility") or ""),
            yearly_cap=record.get("yearly_cap") or "",
            actor=actor,
        )
        if department is not None and (department.pk, name) in seen:
            errors["name"] = [_("与前面的行重复")]
        for field, messages in errors.items():
            title = titles.get(field, field)
            problems.extend(
                _("第 %(row)s 行“%(field)s”：%(message)s") % {"row": number, "field": title, "message": m}
                for m in messages
            )
        if errors or department is None:
            continue
        seen.add((department.pk, name))
        published = str(record.get("published") or "").strip() in items_sheet.YES
        planned.append(
            (
                {
                    "jurisdiction_id": department.jurisdiction_id,
                    "department": department,
                    "name": name[:200],
                    "law": str(record.get("law") or "").strip()[:200],
                    "article": str(record.get("article") or "").strip()[:100],
                    "kind": kinds[str(record.get("kind")).strip()],
                    "rule": rule,
                    "rule_note": str(record.get("rule_note") or "").strip()[:200],
                    "yearly_cap": cap,
                },
                published,
            )
        )
    if problems:
        raise ValidationError({"file": problems})
    at = timezone.now()
    with transaction.atomic():
        for values, published in planned:
            row, _created = InspectionItem.objects.update_or_create(
                department=values["department"], name=values["name"], defaults=values
            )
            if published != row.is_published:
                publish_inspection_item(item=row, actor=actor, published=published, at=at)
    return len(planned)


def import_lenient_lists(*, jurisdiction: Jurisdiction, source: IO[bytes], actor: Actor) -> int:
    """Replace a jurisdiction's lenient-enforcement lists (免罚 / 轻罚 / 减罚清单) with those of
    an Excel file (`lenient.COLUMNS`), all or nothing: a file with any bad row changes nothing
    and every bad row is named (`file` errors, by Excel row number). Returns the item count."""
    if not path_visible(actor, jurisdiction.path):
        raise ValidationError({"file": _("不能导入您管辖范围以外的清单")})
    kinds = {str(label): value for value, label in LenientKind.choices} | {v: v for v in LenientKind.values}
    try:
        _total, rows = read_rows(source, lenient.COLUMNS)
    except HeaderError as bad:
        raise ValidationError(
            {
                "file": _("表头不符：缺少 %(missing)s；无法识别 %(unknown)s")
                % {"missing": "、".join(bad.missing) or "—", "unknown": "、".join(bad.unknown) or "—"}
            }
        ) from None
    except Exception:
        raise ValidationError({"file": _("无法读取该文件，请上传 .xlsx 格式的 Excel 文件")}) from None
    items: list[LenientItem] = []
    problems: list[str] = []
    seen: set[tuple[str, int]] = set()
    for number, record in rows:
        kind = kinds.get(str(record.get("kind") or ""))
        try:
            position = int(record.get("number") or 0)
        except (TypeError, ValueError):
            position = 0
        if kind is None:
            problems.append(_("第 %(row)s 行：清单应为免罚清单、轻罚清单或减罚清单") % {"row": number})
        elif position < 1 or (kind, position) in seen:
            problems.append(_("第 %(row)s 行：序号须为不重复的正整数") % {"row": number})
        elif not record.get("violation") or not record.get("legal_basis"):
            problems.append(_("第 %(row)s 行：请填写违法行为和法律依据") % {"row": number})
        else:
            seen.add((kind, position))
            items.append(
                LenientItem(
                    jurisdiction=jurisdiction,
                    jurisdiction_path=jurisdiction.path,
                    kind=kind,
                    number=position,
                    violation=str(record["violation"])[:500],
                    legal_basis=str(record["legal_basis"]),
                    conditions=str(record.get("conditions") or ""),
                    measure=str(record.get("measure") or "")[:500],
                )
            )
    if problems:
        raise ValidationError({"file": problems})
    with transaction.atomic():
        LenientItem.objects.filter(jurisdiction=jurisdiction).delete()
        LenientItem.objects.bulk_create(items)
    return len(items)


def add_inspector(
    *,
    staff: Staff,
    department: Department,
    certificate_no: str,
    qualified_until: dt.date,
    actor: Actor,
) -> Inspector:
    """Put a member of a department's staff in its pool of inspectors with their enforcement
    certificate; refused, field by field, for staff of another department or outside the
    actor's jurisdiction, a certificate already in a pool or one that has expired."""
    errors: dict[str, list[str]] = {}
    if not path_visible(actor, department.jurisdiction_path):
        raise ValidationError({"department": _("不能管理您管辖范围以外部门的执法人员库")})
    if staff.department_id != department.pk or not staff.is_active:
        errors["staff"] = [_("只能把本部门在岗的干部加入执法人员库")]
    certificate_no = (certificate_no or "").strip()
    if not certificate_no:
        errors["certificate_no"] = [_("请填写执法证号")]
    elif Inspector.objects.filter(certificate_no=certificate_no).exists():
        errors["certificate_no"] = [_("执法证号 %(number)s 已在执法人员库中") % {"number": certificate_no}]
    if qualified_until < timezone.localdate():
        errors["qualified_until"] = [_("执法资格已过期，不能加入执法人员库")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Department.objects.select_for_update().get(pk=department.pk)
        return Inspector.objects.create(
            jurisdiction_id=department.jurisdiction_id,
            staff=staff,
            department=department,
            certificate_no=certificate_no,
            qualified_until=qualified_until,
        )


def remove_inspector(*, inspector: Inspector, actor: Actor) -> Inspector:
    """Take an inspector out of the pool (transferred, certificate withdrawn): they are no
    longer registered or drawn; the inspections they made keep their name."""
    if not path_visible(actor, inspector.jurisdiction_path):
        raise ValidationError({"inspector": _("不能管理您管辖范围以外部门的执法人员库")})
    with transaction.atomic():
        row = Inspector.objects.select_for_update().get(pk=inspector.pk)
        if row.is_active:
            row.is_active = False
            row.save(update_fields=["is_active"])
    return row


def add_quiet_period(
    *, enterprise: Enterprise, starts_on: dt.date, ends_on: dt.date, reason: str, actor: Actor
) -> QuietPeriod:
    """Exempt an enterprise from inspections on plan and by draw for a period (免检、无事不扰:
    a newly landed project, a credit class A firm …); complaints and referrals still reach it.
    Refused with dates out of order, a period overlapping one already set, or no reason."""
    errors: dict[str, list[str]] = {}
    if not path_visible(actor, enterprise.jurisdiction_path):
        raise ValidationError({"enterprise": _("不能为您管辖范围以外的企业设置免检期")})
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("请填写免检原因")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("结束日期不能早于开始日期")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        overlapping = QuietPeriod.objects.filter(
            enterprise=enterprise, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).first()
        if overlapping is not None:
            raise ValidationError(
                {
                    "starts_on": _("与已设置的免检期（%(start)s 至 %(end)s）重叠")
                    % {"start": overlapping.starts_on, "end": overlapping.ends_on}
                }
            )
        return QuietPeriod.objects.create(
            jurisdiction_id=enterprise.jurisdiction_id,
            enterprise=enterprise,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason[:200],
        )


def end_quiet_period(*, period: QuietPeriod, actor: Actor, on: dt.date | None = None) -> QuietPeriod:
    """End a quiet period early, on `on` (today by default): from the next day the enterprise
    may again be inspected on plan or by draw. A period that has not begun yet ends on its
    first day; one already over is left as it was."""
    if not path_visible(actor, period.jurisdiction_path):
        raise ValidationError({"period": _("不能管理您管辖范围以外企业的免检期")})
    on = on or timezone.localdate()
    with transaction.atomic():
        row = QuietPeriod.objects.select_for_update().get(pk=period.pk)
        if row.ends_on > on:
            row.ends_on = max(on, row.starts_on)
            row.save(update_fields=["ends_on"])
    return row


#: The action of each step by the table's name for it: what the step page and the API call
#: with the input the step needs (`workflow.needs_of`).
STEPS: dict[str, Callable[..., Inspection]] = {
    InspectionAction.APPROVE: approve_inspection,
    InspectionAction.REFUSE: refuse_inspection,
    InspectionAction.CHECK_IN: check_in_inspection,
    InspectionAction.CLOSE: close_inspection,
    InspectionAction.CANCEL: cancel_inspection,
    InspectionAction.CONFIRM_RECTIFIED: confirm_rectified,
    InspectionAction.ESCALATE: escalate_rectification,
}


def set_frequency_caps(
    *,
    jurisdiction: Jurisdiction,
    per_day: int,
    per_week: int,
    per_month: int,
    actor: Actor,
    quiet_eligibility: Any = "",
    quiet_note: str = "",
    joint_window_days: int = 0,
) -> FrequencyCaps:
    """Set a jurisdiction's frequency caps on inspections of one enterprise (counted across all
    departments; those below it without their own use these) and its quiet rule (无事不扰: the
    enterprises meeting it, e.g. credit class A, get no routine inspection). Refused, field by
    field, outside the actor's jurisdiction, below one, when a longer window allows fewer than a
    shorter, or for a rule the engine cannot read. `joint_window_days` (0 to 30) is how far apart
    two departments' visits may be and still be offered as one (综合查一次)."""
    if not path_visible(actor, jurisdiction.path):
        raise ValidationError({"per_day": _("不能设置您管辖范围以外的检查频次上限")})
    errors: dict[str, list[str]] = {}
    for field, value in (("per_day", per_day), ("per_week", per_week), ("per_month", per_month)):
        if value < 1:
            errors[field] = [_("上限须为正整数")]
    if not errors and per_week < per_day:
        errors["per_week"] = [_("每周上限不能小于每日上限")]
    if not errors and per_month < per_week:
        errors["per_month"] = [_("每月上限不能小于每周上限")]
    if not 0 <= joint_window_days <= 30:
        errors["joint_window_days"] = [_("合并期限应为 0 到 30 天")]
    quiet_note = (quiet_note or "").strip()[:200]
    quiet_rule, problems = parsed_condition(quiet_eligibility, quiet_note or "QUIET")
    if problems:
        errors["quiet_eligibility"] = problems
    elif quiet_rule and not quiet_note:
        errors["quiet_note"] = [_("请用一句话说明免检条件，登记被拒时告诉经办人")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = FrequencyCaps.objects.select_for_update().update_or_create(
            jurisdiction=jurisdiction,
            defaults={
                "per_day": per_day,
                "per_week": per_week,
                "per_month": per_month,
                "quiet_rule": quiet_rule,
                "quiet_note": quiet_note if quiet_rule else "",
                "joint_window_days": joint_window_days,
            },
        )
    return row
