from __future__ import annotations

from django.http import HttpRequest

from .navigation import items_for
from .roles import role_codes


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": frozenset()}
    return {"nav_items": items_for(user, request.path), "user_roles": role_codes(user)}
