from __future__ import annotations

from django.http import HttpRequest

from .navigation import groups_for, items_for
from .roles import STAFF_ROLES, has_role, role_codes


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": [], "user_roles": frozenset(), "can_search": False}
    items = items_for(user, request.path)
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else None
    for item in items:
        # The page's own entry, or the entry of the section the page lies in.
        item["current"] = bool(item["active"]) or item["url_name"] == view_name
    return {
        "nav_items": items,
        "nav_groups": groups_for(items),
        "user_roles": role_codes(user),
        "can_search": has_role(user, STAFF_ROLES),
    }
