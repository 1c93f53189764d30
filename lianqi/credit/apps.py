from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    """A new wing of Lianqi. It adds itself to the shell through core's registries, so nothing
    in core or a sibling app names it: its menu group and entry, its card on the service
    office's home page, its API routes, its tile and pages on the enterprise's code page, its
    section of the enterprise's file and its measures."""

    default_auto_field = "django.db.models.BigAutoField"
    # The app's dotted path wherever the template was rendered (`lianqi/<name>/`).
    name = __name__.rpartition(".")[0]
    verbose_name = _("新模块")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.registry import CodeTile, EnterpriseSection, MenuEntry, MenuGroup

        from . import dashboards, measures, queries, urls
        from .api import urls as api_urls
        from .permissions import MANAGERS

        registry.register_menu_groups(MenuGroup("credit", _("新模块"), 60))
        registry.register_menu(MenuEntry("credit", _("事项"), "credit:list", MANAGERS, 10))
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_code_urls("credit", urls.code_urlpatterns)
        # A service core announces as coming soon (`core.navigation.COMING`) is registered under
        # the key it announced, so that this tile takes the announcement's place.
        registry.register_code_tiles(
            CodeTile(
                "credit",
                _("事项"),
                "codes:credit_list",
                order=50,
                text=_("查看本企业在办的事项"),
                count=lambda enterprise: queries.open_for_enterprise(enterprise).count(),
            )
        )
        registry.register_enterprise_sections(
            EnterpriseSection("credit", _("事项"), "credit:enterprise_section", MANAGERS, order=50)
        )
        registry.register_measures(*measures.MEASURES)
