"""Who may see the credit work, and the loaders pages use: `access_*` answers 404 both for a
row that does not exist and for one the user may not see, so nobody learns that a row exists
elsewhere. Which repair steps an actor may take is the workflow table's business
(`workflow.roles_for`)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise

from .models import Convenience, DishonestyRecord, Interview

M = TypeVar("M", bound=Model)

#: Roles that manage the credit work: the menu entries, the home page's card and the file's section are theirs.
MANAGERS = (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)
#: Roles that may publish a scoring rule and the conveniences.
PUBLISHERS = (Role.SERVICE_OFFICE, Role.ADMIN)
#: Roles that open the record pages: the managers, and an enterprise's account for its own.
READERS = (*MANAGERS, Role.ENTERPRISE)


def visible_rows(model: type[M], user: Any) -> QuerySet[M]:
    """The rows of a per-enterprise model the user may see: their jurisdiction's subtree for the
    managers, its own for an enterprise's account, nothing for anyone else."""
    queryset = model._default_manager.all()
    if has_role(user, MANAGERS):
        return scope_queryset(queryset, user)
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        if model is Interview:
            return queryset.filter(enterprises=user.enterprise_id)
        return queryset.filter(enterprise_id=user.enterprise_id)
    return queryset.none()


def visible(user: Any) -> QuerySet[DishonestyRecord]:
    """The dishonesty records a user may see."""
    return visible_rows(DishonestyRecord, user)


def access_record(user: Any, pk: int) -> DishonestyRecord:
    """The record `pk`, if the user may see it (404 otherwise, as for a missing one)."""
    return get_object_or_404_scoped(visible(user).select_related("enterprise"), pk=pk)


def access_enterprise(user: Any, pk: int) -> Enterprise:
    """The enterprise `pk` whose credit the user opens, if they may see it."""
    return get_object_or_404_scoped(enterprises.visible(user), pk=pk)


def access_convenience(user: Any, pk: int) -> Convenience:
    """The convenience `pk` of the user's jurisdiction or below (404 otherwise)."""
    return get_object_or_404_scoped(
        scope_queryset(Convenience.objects.select_related("jurisdiction"), user), pk=pk
    )
