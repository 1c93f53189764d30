"""Every write to the liaison layout. Each action runs in one transaction, locks the rows it
changes and writes one `LiaisonChange` per enterprise whose liaison changes. When the register
itself sets a liaison (filing an enterprise with one, an Excel import of the register), it tells
the layout through `lianqi.enterprises.signals.liaisons_set`, and `record_register_liaisons`
keeps the history of it in the register's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.models import Job
from lianqi.core.scoping import path_visible
from lianqi.enterprises import signals as register
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.validators import validate_liaison
from lianqi.org.models import Jurisdiction, Staff

from . import rules
from .choices import AssignmentMethod
from .importing import parse_liaison_file
from .models import LiaisonChange
from .queries import rules_layout

REASON_LENGTH = LiaisonChange._meta.get_field("reason").max_length or 200


def _check_actor_may_change(actor: Actor | None, enterprise: Enterprise) -> None:
    # A user changes liaisons only inside their own jurisdiction; system jobs pass no actor.
    if actor is not None and not path_visible(actor, enterprise.jurisdiction_path):
        raise ValidationError({"enterprise": _("不能调整您管辖范围以外企业的联企干部")})


def _change(
    enterprise: Enterprise,
    staff: Staff,
    *,
    from_staff_id: int | None,
    actor: Actor | None,
    method: AssignmentMethod,
    reason: str,
    at: dt.datetime,
) -> LiaisonChange:
    """Check that `actor` may give `enterprise` to `staff` and build the history row for it."""
    _check_actor_may_change(actor, enterprise)
    validate_liaison(staff, enterprise.jurisdiction_path)
    return LiaisonChange(
        enterprise=enterprise,
        jurisdiction_path=enterprise.jurisdiction_path,
        from_staff_id=from_staff_id,
        to_staff=staff,
        method=method,
        reason=reason[:REASON_LENGTH],
        actor=actor,
        at=at,
    )


def _locked_staff(staff_ids: set[int]) -> dict[int, Staff]:
    # Staff rows are locked too: a member marked as left meanwhile must not take enterprises.
    return {
        s.pk: s for s in Staff.objects.select_for_update().filter(pk__in=sorted(staff_ids)).order_by("pk")
    }


def set_liaisons(
    *,
    plan: Mapping[int, Staff],
    actor: Actor | None,
    method: AssignmentMethod,
    reason: str = "",
    at: dt.datetime | None = None,
    reasons: Mapping[int, str] | None = None,
) -> int:
    """Give each enterprise in `plan` (enterprise id → staff) its new liaison.

    All or nothing: if any staff member cannot serve any enterprise, or an enterprise does not
    exist or lies outside the actor's jurisdiction, nothing changes. `reasons` may give a reason
    per enterprise (the rules explain each choice); `reason` is used for the rest. Returns the
    number of enterprises whose liaison actually changed (assigning the same liaison again
    writes no history)."""
    at = at or timezone.now()
    reasons = reasons or {}
    with transaction.atomic():
        current_staff = _locked_staff({s.pk for s in plan.values()})
        enterprises = list(Enterprise.objects.select_for_update().filter(pk__in=list(plan)).order_by("pk"))
        if len(enterprises) != len(plan):
            raise ValidationError({"plan": _("有企业不存在或已被删除")})
        changes: list[LiaisonChange] = []
        changed: list[Enterprise] = []
        for enterprise in enterprises:
            planned = plan[enterprise.pk]
            staff = current_staff.get(planned.pk)
            if staff is None:
                raise ValidationError({"liaison": _("干部 %(name)s 不存在") % {"name": planned.name}})
            change = _change(
                enterprise,
                staff,
                from_staff_id=enterprise.liaison_id,
                actor=actor,
                method=method,
                reason=reasons.get(enterprise.pk) or reason,
                at=at,
            )
            if enterprise.liaison_id == staff.pk:
                continue
            changes.append(change)
            enterprise.liaison = staff
            changed.append(enterprise)
        Enterprise.objects.bulk_update(changed, ["liaison"], batch_size=500)
        LiaisonChange.objects.bulk_create(changes, batch_size=500)
    return len(changed)


def assign_liaison(
    *,
    enterprise: Enterprise,
    staff: Staff,
    actor: Actor | None,
    method: AssignmentMethod = AssignmentMethod.MANUAL,
    reason: str = "",
) -> Enterprise:
    """Make `staff` the one liaison of `enterprise`, keeping the old one in the history."""
    set_liaisons(plan={enterprise.pk: staff}, actor=actor, method=method, reason=reason)
    enterprise.refresh_from_db(fields=["liaison"])
    return enterprise


def assign_by_rules(
    *,
    jurisdiction: Jurisdiction,
    actor: Actor | None,
    only_uncovered: bool = True,
    leader_quota: int = rules.DEFAULT_LEADER_QUOTA,
) -> int:
    """Lay out liaisons in a jurisdiction by tier and industry (see `lianqi.liaisons.rules`):
    the largest above-size firms to leaders, the rest to the department of their industry, the
    unclaimed to the general pool, balancing load. With `only_uncovered` only enterprises
    without a liaison on duty are touched. Each change records the rule's reason. Returns the
    number of enterprises whose liaison changed."""
    with transaction.atomic():
        # Lock the jurisdiction's enterprises first so the plan is made on what will be written.
        list(
            Enterprise.objects.select_for_update()
            .filter(jurisdiction_path__startswith=jurisdiction.path)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        _inputs, layout = rules_layout(jurisdiction, only_uncovered=only_uncovered, leader_quota=leader_quota)
        if not layout.decisions:
            return 0
        staff = Staff.objects.in_bulk([d.staff_id for d in layout.decisions.values()])
        return set_liaisons(
            plan={eid: staff[d.staff_id] for eid, d in layout.decisions.items()},
            actor=actor,
            method=AssignmentMethod.RULE,
            reasons={eid: d.reason for eid, d in layout.decisions.items()},
        )


def hand_over_and_deactivate(
    *,
    departing: Staff,
    plan: Mapping[int, Staff],
    actor: Actor | None,
    left_on: dt.date,
    reason: str = "",
    reasons: Mapping[int, str] | None = None,
) -> int:
    """Hand every enterprise of a departing staff member to others and mark them as left, in
    one transaction: at no moment is one of their enterprises without a liaison. `plan` must
    name a successor for every enterprise the departing member serves, and nothing else;
    otherwise nothing changes."""
    with transaction.atomic():
        departing = Staff.objects.select_for_update().get(pk=departing.pk)
        served = set(
            Enterprise.objects.select_for_update()
            .filter(liaison=departing)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        missing = served - set(plan)
        if missing:
            raise ValidationError(
                {"plan": _("还有 %(n)d 家企业没有指定接替的联企干部") % {"n": len(missing)}}
            )
        extra = set(plan) - served
        if extra:
            raise ValidationError(
                {
                    "plan": _("移交计划中有 %(n)d 家企业并非由 %(name)s 联系")
                    % {"n": len(extra), "name": departing.name}
                }
            )
        if any(staff.pk == departing.pk for staff in plan.values()):
            raise ValidationError({"plan": _("不能移交给离岗干部本人")})
        count = set_liaisons(
            plan=plan,
            actor=actor,
            method=AssignmentMethod.HANDOVER,
            reason=reason or _("离岗移交"),
            reasons=reasons,
        )
        departing.is_active = False
        departing.left_on = left_on
        departing.save(update_fields=["is_active", "left_on", "updated_at"])
    return count


def stage_liaison_import(*, actor: Actor, source: IO[bytes] | Any, original_name: str) -> Job:
    """Read a liaison spreadsheet and keep what it would do as a job awaiting confirmation:
    the valid rows and every bad row with its reason. Nothing in the layout changes yet."""
    jurisdiction = getattr(actor, "jurisdiction", None)
    if jurisdiction is None:
        raise ValidationError({"file": _("您的账号没有所属辖区，不能导入")})
    parsed = parse_liaison_file(source, actor)
    with transaction.atomic():
        return Job.objects.create(
            kind=Job.Kind.LIAISON_IMPORT,
            status=Job.Status.FAILED if parsed.header_error else Job.Status.READY,
            owner=actor,
            jurisdiction=jurisdiction,
            original_name=original_name[:255],
            total=parsed.total,
            processed=parsed.total,
            result=parsed.as_result(),
            error=parsed.header_error,
            finished_at=timezone.now() if parsed.header_error else None,
        )


def apply_liaison_import(*, job: Job, actor: Actor) -> int:
    """Apply every valid row of a staged liaison import in one transaction (method EXCEL).
    If any row can no longer be applied (a cadre left meanwhile), nothing changes. A job is
    applied once; returns the number of enterprises whose liaison changed."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.kind != Job.Kind.LIAISON_IMPORT or job.status != Job.Status.READY:
            raise ValidationError({"job": _("该导入已处理，不能重复执行")})
        rows = job.result.get("valid", [])
        staff = Staff.objects.in_bulk([row["staff"] for row in rows])
        if len(staff) != len({row["staff"] for row in rows}):
            raise ValidationError({"job": _("有干部已被删除，请重新上传文件")})
        plan = {row["enterprise"]: staff[row["staff"]] for row in rows}
        count = set_liaisons(
            plan=plan,
            actor=actor,
            method=AssignmentMethod.EXCEL,
            reason=_("Excel 导入：%(name)s") % {"name": job.original_name},
        )
        job.status = Job.Status.DONE
        job.finished_at = timezone.now()
        job.result = {**job.result, "applied": count}
        job.save(update_fields=["status", "finished_at", "result", "updated_at"])
    return count


# --- What the register tells the layout -----------------------------------------------------

#: The register's words for how it set a liaison, in the layout's terms.
REGISTER_METHODS = {register.CREATED: AssignmentMethod.CREATED, register.IMPORTED: AssignmentMethod.EXCEL}


def record_register_liaisons(
    *,
    changes: Sequence[register.LiaisonSet],
    actor: Actor | None,
    method: AssignmentMethod,
    reason: str = "",
    at: dt.datetime,
) -> int:
    """Keep in the history the liaisons the register itself set (it checked that each cadre may
    serve, and holds the rows locked): one `LiaisonChange` each. Runs in the register's
    transaction, so that a failure here undoes its write too. Returns the number recorded."""
    LiaisonChange.objects.bulk_create(
        [
            LiaisonChange(
                enterprise_id=change.enterprise_id,
                jurisdiction_path=change.jurisdiction_path,
                from_staff_id=change.previous_id,
                to_staff_id=change.staff_id,
                method=method,
                reason=reason[:REASON_LENGTH],
                actor=actor,
                at=at,
            )
            for change in changes
        ],
        batch_size=1000,
    )
    return len(changes)


def on_liaisons_set(
    sender: object,
    *,
    changes: Sequence[register.LiaisonSet],
    actor: Actor | None,
    method: str,
    reason: str,
    at: dt.datetime,
    **kwargs: object,
) -> None:
    """Receiver of the register's `liaisons_set` (connected in `apps.py`)."""
    record_register_liaisons(
        changes=changes, actor=actor, method=REGISTER_METHODS[method], reason=reason, at=at
    )
