"""Who may see the land supermarket, and the loaders pages use: `access_*` answers 404 both
for a row that does not exist and for one the user may not see. Parcels are the park's
offer: its staff and the enterprises of the park (investors with an account there) see them.
A reservation is seen by the staff of its jurisdiction and by the enterprise that made it.
Which steps an actor may take is the workflow tables' business (`workflow.py`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise

from .models import Parcel, Reservation

#: Roles that manage the park's land: the menu's register, the home page's card, the file's section.
MANAGERS = (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)
#: Roles that open the land supermarket: the managers and an enterprise's account.
READERS = (*MANAGERS, Role.ENTERPRISE)
#: Roles that may reserve a parcel: an enterprise for itself, the office for one of its enterprises.
RESERVERS = (Role.SERVICE_OFFICE, Role.ENTERPRISE)


def visible_parcels(user: Any) -> QuerySet[Parcel]:
    """The parcels of the user's jurisdiction and those below it, for any reader."""
    if not has_role(user, READERS):
        return Parcel.objects.none()
    return scope_queryset(Parcel.objects.all(), user)


def visible(user: Any) -> QuerySet[Reservation]:
    """The reservations a user may see: the jurisdiction's for the managers, its own for an
    enterprise's account, nothing for anyone else."""
    queryset = Reservation.objects.all()
    if has_role(user, MANAGERS):
        return scope_queryset(queryset, user)
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return queryset.filter(enterprise_id=user.enterprise_id)
    return queryset.none()


def access_parcel(user: Any, pk: int) -> Parcel:
    return get_object_or_404_scoped(visible_parcels(user), pk=pk)


def access_reservation(user: Any, pk: int) -> Reservation:
    return get_object_or_404_scoped(visible(user).select_related("enterprise", "parcel"), pk=pk)


def access_enterprise(user: Any, pk: int) -> Enterprise:
    """The enterprise `pk` whose file the user opens, if they may see it."""
    return get_object_or_404_scoped(enterprises.visible(user), pk=pk)
