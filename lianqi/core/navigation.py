"""The menu, by role, drawn from the menu registry (`lianqi.core.registry`): each app registers
its entries from its own `AppConfig.ready()`, so the shell shows each role only what it can open:
an entry appears when the user holds one of its roles *and* its page exists in this build (a
module not installed simply has no entry). Entries come grouped by module, in the groups'
order."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import registry
from .exportlog import LOG_ROLES
from .registry import CodeTile, MenuEntry, MenuGroup
from .roles import OFFICE_ROLES, Role, has_role

#: The modules of the menu. Apps may add their own group with `registry.register_menu_groups`.
GROUPS = (
    MenuGroup("home", _("首页"), 0),
    MenuGroup("demands", _("诉求"), 10),
    MenuGroup("policies", _("政策"), 20),
    MenuGroup("messages", _("消息"), 30),
    MenuGroup("enterprises", _("企业"), 40),
    MenuGroup("organisation", _("组织"), 50),
    MenuGroup("system", _("系统"), 90),
)

#: Core's own entries: the home page, the working-day calendar, the export log and the API's
#: documentation.
ENTRIES = (
    MenuEntry("home", _("首页"), "home", tuple(Role), 0),
    MenuEntry("system", _("工作日历"), "workdays", tuple(OFFICE_ROLES), 10),
    MenuEntry("system", _("导出记录"), "export_log", LOG_ROLES, 80),
    MenuEntry("system", _("接口文档"), "api-docs", (Role.ADMIN,), 90),
)


#: Services the code page announces before their app exists; the app's own tile, registered
#: under the same key, takes the place of each.
COMING = (
    CodeTile("questionnaire", _("问卷"), "", order=30, text=_("填写走访活动的电子问卷")),
    CodeTile("inspection", _("涉企检查"), "", order=40, text=_("查看入企检查的登记信息，检查须先登记再入企")),
)


def register() -> None:
    registry.register_menu_groups(*GROUPS)
    registry.register_menu(*ENTRIES)
    registry.register_code_tiles(*COMING)


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
    labels = {group.key: group.label for group in registry.menu_groups()}
    for item in registry.menu_entries():
        if not has_role(user, item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": item.label,
                "url": url,
                "url_name": item.url_name,
                "group": item.group,
                "group_label": labels.get(item.group, item.group),
                "active": False,
            }
        )
    if path is not None:
        current = active_url([str(i["url"]) for i in items], path)
        for entry in items:
            entry["active"] = entry["url"] == current
    return items


def groups_for(items: list[dict[str, object]]) -> list[dict[str, object]]:
    """The menu's top level: one entry per module, in order. A module the user has one entry in
    shows that entry itself; a module with several opens a dropdown of them, labelled with the
    module's name and marked active when one of its entries is."""
    groups: list[dict[str, object]] = []
    for item in items:
        if groups and groups[-1]["key"] == item["group"]:
            entries = groups[-1]["items"]
            assert isinstance(entries, list)
            entries.append(item)
        else:
            groups.append({"key": item["group"], "label": item["group_label"], "items": [item]})
    for group in groups:
        entries = group["items"]
        assert isinstance(entries, list)
        group["active"] = any(entry["active"] for entry in entries)
        group["single"] = entries[0] if len(entries) == 1 else None
    return groups
