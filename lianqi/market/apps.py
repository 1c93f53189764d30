from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    """Supply and demand (供需对接): enterprises' offers and needs matched with reasons,
    introductions followed to deals, matching events. It adds itself to the shell through
    core's registries, so nothing in core or a sibling app names it: its menu group and
    entries, its part of the office's home page, its API routes, its tile on the enterprise's
    code page, its section of the enterprise's file and its measures."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "lianqi.market"
    verbose_name = _("供需对接")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.registry import CodeTile, EnterpriseSection, MenuEntry, MenuGroup

        from . import dashboards, measures, queries, urls
        from .api import urls as api_urls
        from .permissions import READERS, STAFF, SUBSIDY

        # A two-character label: the top bar holds every module at 1280 px in English too.
        registry.register_menu_groups(MenuGroup("market", _("供需"), 58))
        registry.register_menu(
            MenuEntry("market", _("需求"), "market:needs", READERS, 10),
            MenuEntry("market", _("供应"), "market:offers", READERS, 20),
            MenuEntry("market", _("对接跟进"), "market:introductions", READERS, 30),
            MenuEntry("market", _("供需对接会"), "market:fairs", STAFF, 40),
            MenuEntry("market", _("产业链"), "market:chains", STAFF, 50),
            MenuEntry("market", _("采购记录"), "market:purchases", READERS, 60),
            MenuEntry("market", _("本地采购补贴"), "market:subsidy", SUBSIDY, 70),
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_code_urls("market", urls.code_urlpatterns)
        registry.register_code_tiles(
            CodeTile(
                "market",
                _("供需"),
                "codes:market_list",
                order=50,
                text=_("查看本企业的采购需求"),
                count=lambda enterprise: queries.open_for_enterprise(enterprise).count(),
            )
        )
        registry.register_enterprise_sections(
            EnterpriseSection("market", _("供需"), "market:enterprise_section", STAFF, order=50)
        )
        registry.register_measures(*measures.MEASURES)
