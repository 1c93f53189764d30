"""Who may see this wing's items, and the loaders pages use: `access_*` answers 404 both for
a row that does not exist and for one the user may not see, so nobody learns that a row
exists elsewhere. Which steps an actor may take is the workflow table's business
(`workflow.roles_for`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise
from lianqi.org.queries import own_staff

from .models import Inspection, InspectionItem, Inspector, JointVisit, QuietPeriod

#: Roles that manage items: the menu entry, the home page's card and the file's section are theirs.
MANAGERS = (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)
#: Roles that register inspections: the managers, and a department handler for the
#: department they belong to (an enforcement department files its own visits).
REGISTRARS = (*MANAGERS, Role.DEPARTMENT_HANDLER)
#: Roles that open the pages: those who register, and an enterprise's account for its own items.
READERS = (*REGISTRARS, Role.ENTERPRISE)


def own_department_id(user: Any) -> int | None:
    """The department a handler belongs to (None for anyone else, or a handler not bound to one)."""
    staff = own_staff(user)
    return staff.department_id if staff is not None else None


def registers_only_for_own_department(user: Any) -> bool:
    """Whether `user` registers as a department handler only (not as a manager): then only
    for their own department."""
    return has_role(user, (Role.DEPARTMENT_HANDLER,)) and not has_role(user, MANAGERS)


def visible(user: Any) -> QuerySet[Inspection]:
    """The items a user may see: their jurisdiction's subtree for the managers; for a
    department handler, their department's inspections and those they go on as an inspector;
    its own for an enterprise's account; nothing for anyone else."""
    queryset = Inspection.objects.all()
    if has_role(user, MANAGERS):
        return scope_queryset(queryset, user)
    if has_role(user, (Role.DEPARTMENT_HANDLER,)):
        department_id = own_department_id(user)
        mine = Q(inspectors__staff__user=user)
        if department_id is not None:
            mine |= Q(department_id=department_id)
        ids = scope_queryset(queryset, user).filter(mine).values("pk")
        return queryset.filter(pk__in=ids)
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return queryset.filter(enterprise_id=user.enterprise_id)
    return queryset.none()


def access_inspection(user: Any, pk: int) -> Inspection:
    """The item `pk`, if the user may see it (404 otherwise, as for a missing one)."""
    return get_object_or_404_scoped(visible(user).select_related("enterprise"), pk=pk)


def access_enterprise(user: Any, pk: int) -> Enterprise:
    """The enterprise `pk` whose file (or whose new item) the user opens, if they may see it."""
    return get_object_or_404_scoped(enterprises.visible(user), pk=pk)


def _managed(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """`queryset` within the user's jurisdiction for the managers, nothing for anyone else."""
    return scope_queryset(queryset, user) if has_role(user, MANAGERS) else queryset.none()


def visible_inspectors(user: Any) -> QuerySet[Inspector]:
    """The departments' pools of inspectors the user manages."""
    return _managed(Inspector.objects.all(), user)


def access_inspector(user: Any, pk: int) -> Inspector:
    """The inspector `pk` of a pool the user manages (404 otherwise)."""
    return get_object_or_404_scoped(visible_inspectors(user), pk=pk)


def visible_quiet_periods(user: Any) -> QuerySet[QuietPeriod]:
    """The quiet periods of the enterprises the user manages."""
    return _managed(QuietPeriod.objects.all(), user)


def access_quiet_period(user: Any, pk: int) -> QuietPeriod:
    """The quiet period `pk`, if the user manages it (404 otherwise)."""
    return get_object_or_404_scoped(visible_quiet_periods(user), pk=pk)


def visible_joint_visits(user: Any) -> QuerySet[JointVisit]:
    """The joint visits (综合查一次) of the enterprises the user manages."""
    return _managed(JointVisit.objects.all(), user)


def visible_items(user: Any) -> QuerySet[InspectionItem]:
    """The inspection items a user manages: their jurisdiction's departments' for the
    managers, their own department's for a department handler, nothing for anyone else."""
    queryset = InspectionItem.objects.all()
    if has_role(user, MANAGERS):
        return scope_queryset(queryset, user)
    if has_role(user, (Role.DEPARTMENT_HANDLER,)):
        return scope_queryset(queryset, user).filter(department_id=own_department_id(user) or 0)
    return queryset.none()


def access_item(user: Any, pk: int) -> InspectionItem:
    """The item `pk` of a list the user manages (404 otherwise)."""
    return get_object_or_404_scoped(visible_items(user).select_related("department"), pk=pk)
