"""Who may see this wing's items, and the loaders pages use: `access_*` answers 404 both for
a row that does not exist and for one the user may not see, so nobody learns that a row
exists elsewhere. Which steps an actor may take is the workflow table's business
(`workflow.roles_for`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise

from .models import Credit

#: Roles that manage items: the menu entry, the home page's card and the file's section are theirs.
MANAGERS = (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)
#: Roles that open the pages: the managers, and an enterprise's account for its own items.
READERS = (*MANAGERS, Role.ENTERPRISE)


def visible(user: Any) -> QuerySet[Credit]:
    """The items a user may see: their jurisdiction's subtree for the managers, its own for an
    enterprise's account, nothing for anyone else."""
    queryset = Credit.objects.all()
    if has_role(user, MANAGERS):
        return scope_queryset(queryset, user)
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return queryset.filter(enterprise_id=user.enterprise_id)
    return queryset.none()


def access_credit(user: Any, pk: int) -> Credit:
    """The item `pk`, if the user may see it (404 otherwise, as for a missing one)."""
    return get_object_or_404_scoped(visible(user).select_related("enterprise"), pk=pk)


def access_enterprise(user: Any, pk: int) -> Enterprise:
    """The enterprise `pk` whose file (or whose new item) the user opens, if they may see it."""
    return get_object_or_404_scoped(enterprises.visible(user), pk=pk)
