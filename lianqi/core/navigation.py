"""The menu, by role. Each app adds its entries here so that the shell shows each role only
what it can open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .roles import OFFICE_ROLES, STAFF_ROLES, Role, has_role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[str, ...]


NAV_ITEMS: list[NavItem] = [
    NavItem(_("首页"), "home", tuple(Role)),
    NavItem(_("企业"), "enterprises:list", tuple(STAFF_ROLES)),
    NavItem(_("联企覆盖"), "liaisons:coverage", (Role.LEADER, *OFFICE_ROLES)),
    NavItem(_("企业导入"), "enterprises:import_start", tuple(OFFICE_ROLES)),
    NavItem(_("组织机构"), "org:jurisdictions", tuple(STAFF_ROLES)),
    NavItem(_("用户管理"), "accounts:users", (Role.ADMIN,)),
    NavItem(_("接口文档"), "api-docs", (Role.ADMIN,)),
]


def items_for(user: object) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for item in NAV_ITEMS:
        if not has_role(user, item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return items
