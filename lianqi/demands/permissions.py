"""Who may see demands, and who may take which step (the step rules live in `workflow`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lianqi.core.roles import STAFF_ROLES, Role, has_role
from lianqi.core.scoping import scope_queryset

from . import workflow
from .models import Demand


def visible(user: Any) -> QuerySet[Demand]:
    """The demands a user may see: their jurisdiction's subtree for the office, leaders and
    admins; for a liaison, the demands of the enterprises they serve or took in; for a
    department handler, the demands their department leads or co-handles; for an enterprise
    user, its own; nothing for anyone else."""
    queryset = Demand.objects.all()
    if has_role(user, (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)):
        return scope_queryset(queryset, user)
    condition = Q(pk__in=[])
    matched = False
    staff = getattr(user, "staff", None) if has_role(user, STAFF_ROLES) else None
    if staff is not None and has_role(user, (Role.LIAISON,)):
        # Also the ones they raised for an enterprise they do not serve (met at an event, say):
        # whoever took a demand in can follow it.
        condition |= Q(enterprise__liaison=staff) | Q(liaison=staff) | Q(raised_by=user)
        matched = True
    if staff is not None and staff.department_id and has_role(user, (Role.DEPARTMENT_HANDLER,)):
        condition |= Q(lead_department_id=staff.department_id) | Q(co_departments=staff.department_id)
        matched = True
    if matched:
        return scope_queryset(queryset.filter(condition), user).distinct()
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return queryset.filter(enterprise_id=user.enterprise_id)
    return queryset.none()


def can(user: Any, action: str, demand: Demand) -> bool:
    """Whether `user` may take `action` on `demand` now."""
    try:
        workflow.check(demand, action, user)
    except workflow.TransitionNotAllowed:
        return False
    return True
