"""Who acts: the account behind a step, typed for every action of every app.

`Actor` is the account model as actions see it. At run time it is a protocol of what actions
may rely on of an account (the `accounts.User` model satisfies it), so lower layers act for
users without importing the accounts app; to the type checker it is the account model itself,
named in a type-checking-only import (as the database names it through `AUTH_USER_MODEL`), so
that an actor can be stored in a foreign key. The layering contracts ignore type-checking
imports for exactly this. An enterprise acting through its printed code has no account:
actions take ``actor=None`` with the enterprise named beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


@runtime_checkable
class AccountLike(Protocol):
    """A logged-in account: its primary key, its name, whether it is a superuser, and the
    jurisdiction and enterprise it is bound to (both may be empty)."""

    @property
    def pk(self) -> Any: ...

    @property
    def username(self) -> str: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_superuser(self) -> bool: ...

    @property
    def jurisdiction_id(self) -> int | None: ...

    @property
    def enterprise_id(self) -> int | None: ...


if TYPE_CHECKING:
    from lianqi.accounts.models import User as Actor
else:
    Actor = AccountLike


def acting_user(request: HttpRequest) -> Actor:
    """The logged-in account behind a view that requires a role, typed as the actor that actions
    take (such a view never sees an anonymous user)."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not isinstance(user, AccountLike):
        raise PermissionDenied
    return user
