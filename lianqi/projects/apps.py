from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Key projects and their dispatch meetings (重点项目调度). The wing adds itself to the shell
    through core's registries, so nothing in core or a sibling app names it: its menu group and
    entries, its cards on the leader's and the office's home page, its API routes, its section of
    the enterprise's file and its measures."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "lianqi.projects"
    verbose_name = _("重点项目")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.registry import EnterpriseSection, MenuEntry, MenuGroup

        from . import dashboards, measures
        from .api import urls as api_urls
        from .permissions import MANAGERS

        # A short label: the top bar holds every module on one line at 1280 px in English too. The
        # order is unique: groups of equal order would interleave their entries in the menu.
        registry.register_menu_groups(MenuGroup("projects", _("项目"), 23))
        registry.register_menu(
            MenuEntry("projects", _("重点项目"), "projects:list", MANAGERS, 10),
            MenuEntry("projects", _("项目看板"), "projects:dashboard", MANAGERS, 20),
            MenuEntry("projects", _("调度会议"), "projects:series_list", MANAGERS, 30),
            MenuEntry("projects", _("招商进展"), "projects:pipeline", MANAGERS, 40),
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_enterprise_sections(
            EnterpriseSection("projects", _("重点项目"), "projects:enterprise_section", MANAGERS, order=45)
        )
        registry.register_measures(*measures.MEASURES)
