"""Who may see demands, and the loaders pages and the API use: `access_*` answers 404 both for a
row that does not exist and for one the user may not see, so nobody learns that a demand
exists elsewhere. Who may file a demand for which enterprise is decided here too (`intake_mode`,
`intake_enterprises`); which steps an actor may take is the workflow table's business
(`workflow.WORKFLOW`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from lianqi.core.privacy import Holder, PhonePolicy, Tie
from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES, Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise

from .models import Category, Demand, DemandAttachment

#: Staff roles that see demands (and so the demands' section of an enterprise's file): the
#: office, leaders and admins their jurisdiction's; liaisons and handlers their own.
STAFF_READERS: tuple[str, ...] = (
    Role.SERVICE_OFFICE,
    Role.LEADER,
    Role.ADMIN,
    Role.LIAISON,
    Role.DEPARTMENT_HANDLER,
)

#: What a demand's page shows with it, read in the same query.
DETAIL_RELATED = (
    "enterprise",
    "category",
    "liaison",
    "lead_department",
    "escalation_owner",
    "merged_into",
    "merged_into__category",
    "last_actor",
)


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


def filer_ties(user: Any, demand: Demand) -> tuple[Tie, ...]:
    """How `user` is tied to the person who filed `demand`, for `core.privacy.sees_full_phone`:
    their enterprise (`OWN_ENTERPRISE`), its liaison or whoever took the demand in (`SERVES`), a
    handler of the department leading or co-handling it (`HANDLES`)."""
    ties: list[Tie] = []
    if getattr(user, "enterprise_id", None) == demand.enterprise_id:
        ties.append(Tie.OWN_ENTERPRISE)
    staff = getattr(user, "staff", None) if has_role(user, STAFF_ROLES) else None
    if staff is not None:
        if staff.pk in (demand.liaison_id, demand.enterprise.liaison_id) or (
            demand.raised_by_id is not None and demand.raised_by_id == user.pk
        ):
            ties.append(Tie.SERVES)
        department = staff.department_id
        if (
            department is not None
            and has_role(user, (Role.DEPARTMENT_HANDLER,))
            and (
                demand.lead_department_id == department
                or demand.co_departments.filter(pk=department).exists()
            )
        ):
            ties.append(Tie.HANDLES)
    return tuple(ties)


def filer_phone(user: Any, demand: Demand) -> str:
    """The phone the filer of `demand` left, as `user` may see it (`core.privacy`)."""
    if not demand.contact_phone:
        return ""
    policy = PhonePolicy(user, Holder.CONTACT)
    ties = () if policy.whole else filer_ties(user, demand)
    return policy.show(demand.contact_phone, ties, path=demand.jurisdiction_path)


def access_demand(user: Any, pk: Any) -> Demand:
    """The demand `pk` with what its page shows, if the user may see it (404 otherwise, as for
    a missing one)."""
    return get_object_or_404_scoped(visible(user).select_related(*DETAIL_RELATED), pk=pk)


def access_demands(user: Any, pks: Iterable[int]) -> dict[int, Demand]:
    """The demands among `pks` the user may see, by id (bulk assignment): a missing or
    forbidden id is simply absent, so the caller reports both alike."""
    return {
        demand.pk: demand
        for demand in visible(user)
        .filter(pk__in=list(pks))
        .select_related("category", "enterprise", "last_actor")
    }


def access_attachment(user: Any, demand_pk: Any, pk: Any) -> DemandAttachment:
    """A file of demand `demand_pk`, looked up through the demand: a file of a demand the user
    may not see answers 404 like a missing one."""
    demand = access_demand(user, demand_pk)
    return get_object_or_404_scoped(demand.attachments.all(), pk=pk)


def access_enterprise_demand(enterprise: Enterprise, pk: Any, *, filed_from: str | None = None) -> Demand:
    """The demand `pk` of `enterprise`, for the pages under its code (营商码): another
    enterprise's demand, and with `filed_from` one not filed from that phone, answers 404 like
    a missing one."""
    queryset = Demand.objects.filter(enterprise=enterprise).select_related("category", "lead_department")
    if filed_from is not None:
        queryset = queryset.filter(contact_phone=filed_from)
    return get_object_or_404_scoped(queryset, pk=pk)


def access_category(user: Any, pk: Any) -> Category:
    """A category of the catalogue. The catalogue is shared by every jurisdiction, so anyone
    who may open its pages sees every category; a missing one answers 404."""
    return get_object_or_404_scoped(Category.objects.all(), pk=pk)


def access_enterprise(user: Any, pk: Any) -> Enterprise:
    """The enterprise `pk` whose file the user opens, if they may see it (404 otherwise)."""
    return get_object_or_404_scoped(enterprises.visible(user), pk=pk)


# --- Intake: who files for which enterprise --------------------------------------------------


class IntakeMode:
    """Who is filing: decides the channel, the enterprises offered and whether the demand may
    be recorded as solved on the spot."""

    OFFICE = "office"
    LIAISON = "liaison"
    ENTERPRISE = "enterprise"


def intake_mode(user: Any) -> str | None:
    """The intake mode of a user, the widest first (an office user who is also a liaison files
    as the office), or None for a user who does not file demands."""
    if has_role(user, OFFICE_ROLES):
        return IntakeMode.OFFICE
    if has_role(user, (Role.LIAISON,)) and getattr(user, "staff", None) is not None:
        return IntakeMode.LIAISON
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return IntakeMode.ENTERPRISE
    return None


def intake_enterprises(user: Any, mode: str | None) -> QuerySet[Enterprise]:
    """The enterprises a user may file a demand for: the office's whole jurisdiction (those
    still in the park), a liaison's own enterprises, an enterprise user's own enterprise."""
    visible_enterprises = enterprises.visible(user)
    if mode == IntakeMode.OFFICE:
        return visible_enterprises.filter(status=EnterpriseStatus.ACTIVE)
    if mode == IntakeMode.LIAISON:
        return visible_enterprises.filter(liaison=user.staff)
    if mode == IntakeMode.ENTERPRISE:
        return visible_enterprises
    return Enterprise.objects.none()


def access_intake_enterprise(user: Any, pk: Any) -> Enterprise:
    """The enterprise `pk`, if the user may file a demand for it (404 otherwise: another park's,
    or another liaison's, enterprise is not even acknowledged)."""
    return get_object_or_404_scoped(intake_enterprises(user, intake_mode(user)), pk=pk)
