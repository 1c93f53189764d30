from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """Approvals made short (一图三单, 容缺审批, 并联审批). It adds itself to the shell through core's
    registries, so nothing in core or a sibling app names it: its menu group and entries, its
    card on the service office's and the leader's home pages, its API routes, its section of the
    enterprise's file and its measures."""

    default_auto_field = "django.db.models.BigAutoField"
    name = __name__.rpartition(".")[0]
    verbose_name = _("项目审批")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.registry import EnterpriseSection, MenuEntry, MenuGroup

        from . import dashboards, measures
        from .api import urls as api_urls
        from .permissions import MANAGERS

        registry.register_menu_groups(MenuGroup("approvals", _("项目审批"), 60))
        registry.register_menu(
            MenuEntry("approvals", _("项目审批"), "approvals:list", MANAGERS, 10),
            MenuEntry("approvals", _("一图三单"), "approvals:charts", MANAGERS, 20),
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_enterprise_sections(
            EnterpriseSection("approvals", _("项目审批"), "approvals:enterprise_section", MANAGERS, order=55)
        )
        registry.register_measures(*measures.MEASURES)
