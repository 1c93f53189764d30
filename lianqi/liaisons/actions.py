"""Every write to the liaison layout. Each action runs in one transaction, locks the rows it
changes and writes one `LiaisonChange` per enterprise whose liaison changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.models import User
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Staff

from .choices import AssignmentMethod
from .models import LiaisonChange


def _check_staff_can_serve(staff: Staff, enterprise: Enterprise) -> None:
    if not staff.is_active:
        raise ValidationError({"liaison": _("%(name)s 已离岗，不能担任联企干部") % {"name": staff.name}})
    if not enterprise.jurisdiction_path.startswith(
        staff.jurisdiction_path
    ) and not staff.jurisdiction_path.startswith(enterprise.jurisdiction_path):
        raise ValidationError({"liaison": _("%(name)s 不在该企业所在辖区") % {"name": staff.name}})


def set_liaisons(
    *,
    plan: Mapping[int, Staff],
    actor: User | None,
    method: AssignmentMethod,
    reason: str = "",
    at: dt.datetime | None = None,
) -> int:
    """Give each enterprise in `plan` (enterprise id → staff) its new liaison.

    All or nothing: if any staff member cannot serve any enterprise, nothing changes. Returns
    the number of enterprises whose liaison actually changed (assigning the same liaison again
    writes no history)."""
    at = at or timezone.now()
    with transaction.atomic():
        enterprises = Enterprise.objects.select_for_update().filter(pk__in=list(plan)).order_by("pk")
        changes: list[LiaisonChange] = []
        changed: list[Enterprise] = []
        for enterprise in enterprises:
            staff = plan[enterprise.pk]
            _check_staff_can_serve(staff, enterprise)
            if enterprise.liaison_id == staff.pk:
                continue
            changes.append(
                LiaisonChange(
                    enterprise=enterprise,
                    jurisdiction_path=enterprise.jurisdiction_path,
                    from_staff_id=enterprise.liaison_id,
                    to_staff=staff,
                    method=method,
                    reason=reason,
                    actor=actor,
                    at=at,
                )
            )
            enterprise.liaison = staff
            changed.append(enterprise)
        Enterprise.objects.bulk_update(changed, ["liaison"], batch_size=500)
        LiaisonChange.objects.bulk_create(changes, batch_size=500)
    return len(changed)


def assign_liaison(
    *,
    enterprise: Enterprise,
    staff: Staff,
    actor: User | None,
    method: AssignmentMethod = AssignmentMethod.MANUAL,
    reason: str = "",
) -> Enterprise:
    """Make `staff` the one liaison of `enterprise`, keeping the old one in the history."""
    set_liaisons(plan={enterprise.pk: staff}, actor=actor, method=method, reason=reason)
    enterprise.refresh_from_db(fields=["liaison"])
    return enterprise


def hand_over_and_deactivate(
    *,
    departing: Staff,
    plan: Mapping[int, Staff],
    actor: User | None,
    left_on: dt.date,
    reason: str = "",
) -> int:
    """Hand every enterprise of a departing staff member to others and mark them as left, in
    one transaction: at no moment is one of their enterprises without a liaison. `plan` must
    name a successor for every enterprise the departing member serves."""
    with transaction.atomic():
        departing = Staff.objects.select_for_update().get(pk=departing.pk)
        served: Iterable[int] = Enterprise.objects.filter(liaison=departing).values_list("pk", flat=True)
        missing = set(served) - set(plan)
        if missing:
            raise ValidationError(
                {"plan": _("还有 %(n)d 家企业没有指定接替的联企干部") % {"n": len(missing)}}
            )
        if any(staff.pk == departing.pk for staff in plan.values()):
            raise ValidationError({"plan": _("不能移交给离岗干部本人")})
        count = set_liaisons(
            plan=plan, actor=actor, method=AssignmentMethod.HANDOVER, reason=reason or _("离岗移交")
        )
        departing.is_active = False
        departing.left_on = left_on
        departing.save(update_fields=["is_active", "left_on", "updated_at"])
    return count
