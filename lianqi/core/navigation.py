"""The menu, by role. Each app adds its entries here so that the shell shows each role only
what it can open: an entry appears when the user holds one of its roles *and* its page exists
in this build (a module not yet installed simply has no entry)."""

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
    NavItem(_("我的企业诉求"), "demands:liaison_home", (Role.LIAISON,)),
    NavItem(_("提诉求"), "demands:create", (Role.ENTERPRISE,)),
    NavItem(_("部门待办"), "demands:inbox", (Role.DEPARTMENT_HANDLER,)),
    NavItem(_("诉求调度"), "demands:board", tuple(OFFICE_ROLES)),
    NavItem(_("遗留问题"), "demands:legacy", (Role.LEADER, *OFFICE_ROLES)),
    NavItem(_("诉求统计"), "demands:statistics", (Role.LEADER, *OFFICE_ROLES, Role.DEPARTMENT_HANDLER)),
    NavItem(_("诉求类别"), "demands:categories", tuple(OFFICE_ROLES)),
    NavItem(_("政策超市"), "policies:list", (*STAFF_ROLES, Role.ENTERPRISE)),
    NavItem(_("兑现台账"), "policies:ledger", (*STAFF_ROLES, Role.ENTERPRISE)),
    NavItem(_("消息"), "notifications:inbox", tuple(Role)),
    NavItem(_("企业"), "enterprises:list", tuple(STAFF_ROLES)),
    NavItem(_("联企覆盖"), "liaisons:coverage", (Role.LEADER, *OFFICE_ROLES)),
    NavItem(_("企业导入"), "enterprises:import_start", tuple(OFFICE_ROLES)),
    NavItem(_("企业标签"), "enterprises:tags", tuple(OFFICE_ROLES)),
    NavItem(_("组织机构"), "org:jurisdictions", tuple(STAFF_ROLES)),
    NavItem(_("工作日历"), "workdays", tuple(OFFICE_ROLES)),
    NavItem(_("用户管理"), "accounts:users", (Role.ADMIN,)),
    NavItem(_("接口文档"), "api-docs", (Role.ADMIN,)),
]


def active_url(urls: list[str], path: str) -> str | None:
    """Of the menu's URLs, the one the current page belongs to: an exact match, else the
    longest URL the path starts with, so every page below ``/org/`` lights up 组织机构 and the
    import pages light up 企业导入 rather than 企业. The home page ("/") only matches itself."""
    if path in urls:
        return path
    prefixes = [u for u in urls if u != "/" and path.startswith(u)]
    return max(prefixes, key=len) if prefixes else None


def items_for(user: object, path: str | None = None) -> list[dict[str, object]]:
    """The menu entries a user may open, each with its label, URL and whether it is the
    current page's entry (when the current path is given)."""
    items: list[dict[str, object]] = []
    for item in NAV_ITEMS:
        if not has_role(user, item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "url_name": item.url_name, "active": False})
    if path is not None:
        current = active_url([str(i["url"]) for i in items], path)
        for entry in items:
            entry["active"] = entry["url"] == current
    return items
