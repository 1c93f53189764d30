"""Who may see what of the finance supermarket, and the loaders pages use: `access_*` answers
404 both for a row that does not exist and for one the user may not see, so nobody learns
that a row exists elsewhere — another park's, or another institution's. Which steps an actor
may take is the workflow table's business (`workflow.roles_for`).

- the park's office, leaders and administrators: every application of their jurisdiction;
- a liaison: the applications of the enterprises they serve;
- an institution's user: the applications made to their own institutions, nothing else;
- an enterprise's account: its own applications.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_paths, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise

from .choices import ApplicationState, ProductState
from .models import Application, Institution, MatchingEvent, Pilot, Product

#: The park's finance office and those above it: the overview, the file's section, the menu.
MANAGERS = (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)
#: Roles that open the application pages.
READERS = (*MANAGERS, Role.LIAISON, Role.FINANCE, Role.ENTERPRISE)
#: Roles that browse the product shelf.
SHELF_READERS = READERS


def ancestor_paths(path: str) -> list[str]:
    """Every path from the root down to `path` itself: ``430000/430300/`` gives
    ``["430000/", "430000/430300/"]``. An institution of any of them serves `path`."""
    parts = [part for part in path.split("/") if part]
    return ["".join(f"{part}/" for part in parts[: n + 1]) for n in range(len(parts))]


def institutions_of(user: Any) -> QuerySet[Institution]:
    """The institutions whose user `user` is (none unless they hold the role)."""
    if not has_role(user, (Role.FINANCE,)):
        return Institution.objects.none()
    return Institution.objects.filter(members=user)


def visible_institutions(user: Any) -> QuerySet[Institution]:
    """Institutions a user may see: those serving their jurisdiction (above it or inside it)
    for staff and enterprises, their own for an institution's user."""
    if has_role(user, (Role.FINANCE,)):
        return institutions_of(user)
    paths = scope_paths(user)
    if paths is None:
        return Institution.objects.all()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(jurisdiction_path__startswith=path) | Q(jurisdiction_path__in=ancestor_paths(path))
    enterprise = getattr(user, "enterprise", None) if has_role(user, (Role.ENTERPRISE,)) else None
    if enterprise is not None:
        condition |= Q(jurisdiction_path__in=ancestor_paths(enterprise.jurisdiction_path))
    return Institution.objects.filter(condition)


def visible_products(user: Any) -> QuerySet[Product]:
    """Products a user may see: every state of their own institutions' for an institution's
    user; the published products of the institutions serving them for everyone else."""
    products = Product.objects.select_related("institution")
    if has_role(user, (Role.FINANCE,)):
        return products.filter(institution__in=institutions_of(user))
    if not has_role(user, SHELF_READERS):
        return products.none()
    return products.filter(institution__in=visible_institutions(user), state=ProductState.PUBLISHED)


def visible(user: Any) -> QuerySet[Application]:
    """The applications a user may see (see the module docstring); one user may hold several
    roles, and sees what any of them shows."""
    queryset = Application.objects.all()
    condition = Q(pk__in=[])
    if has_role(user, MANAGERS):
        return scope_queryset(queryset, user)
    if has_role(user, (Role.LIAISON,)):
        condition |= Q(enterprise__liaison__user=user)
    if has_role(user, (Role.FINANCE,)):
        condition |= Q(institution__in=institutions_of(user))
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        condition |= Q(enterprise_id=user.enterprise_id)
    return queryset.filter(condition)


def access_application(user: Any, pk: int) -> Application:
    """The application `pk`, if the user may see it (404 otherwise, as for a missing one)."""
    return get_object_or_404_scoped(
        visible(user).select_related("enterprise", "product", "institution", "demand"), pk=pk
    )


def access_shared_applicant(user: Any, pk: int) -> Application:
    """The application `pk` whose applicant's data the user's institution may read: one made to
    that institution, with the enterprise's consent, not withdrawn (the consent was for its
    review). Anything else — another institution's, a withdrawn one — is 404, as if missing."""
    shared = Application.objects.filter(institution__in=institutions_of(user), consent=True).exclude(
        state=ApplicationState.WITHDRAWN
    )
    return get_object_or_404_scoped(
        shared.select_related("enterprise__industry", "product", "institution"), pk=pk
    )


def access_product(user: Any, pk: int) -> Product:
    """The product `pk`, if the user may see it."""
    return get_object_or_404_scoped(visible_products(user), pk=pk)


def access_enterprise(user: Any, pk: int) -> Enterprise:
    """The enterprise `pk` whose file the user opens, if they may see it."""
    return get_object_or_404_scoped(enterprises.visible(user), pk=pk)


def visible_events(user: Any) -> QuerySet[MatchingEvent]:
    """Matching events a user may see: their jurisdiction's for the managers, those their
    institution came to for an institution's user."""
    if has_role(user, MANAGERS):
        return scope_queryset(MatchingEvent.objects.all(), user)
    if has_role(user, (Role.FINANCE,)):
        return MatchingEvent.objects.filter(institutions__in=institutions_of(user)).distinct()
    return MatchingEvent.objects.none()


def access_event(user: Any, pk: int) -> MatchingEvent:
    """The matching event `pk`, if the user may see it."""
    return get_object_or_404_scoped(visible_events(user), pk=pk)


def visible_pilots(user: Any) -> QuerySet[Pilot]:
    """Pilots a user may see: their jurisdiction's for the managers; for an institution's
    user, the pilots its institution leads or takes part in (and so their whitelists)."""
    if has_role(user, MANAGERS):
        return scope_queryset(Pilot.objects.all(), user)
    if has_role(user, (Role.FINANCE,)):
        mine = institutions_of(user)
        return Pilot.objects.filter(Q(guarantor__in=mine) | Q(banks__in=mine)).distinct()
    return Pilot.objects.none()


def access_pilot(user: Any, pk: int) -> Pilot:
    """The pilot `pk`, if the user may see it."""
    return get_object_or_404_scoped(visible_pilots(user), pk=pk)
