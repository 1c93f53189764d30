from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """The finance supermarket (金融超市, DOMAIN.md M6): institutions publish products whose
    admission criteria are rules an enterprise can read, enterprises apply, the institutions
    follow the applications up to the loan on a clock the park watches. It adds itself to the
    shell through core's registries only: its menu group and entries, the institution user's
    home (its work queue) and the office's card, its API routes, its tile and page on the
    enterprise's code, its section of the enterprise's file, its measures, the origin of the demands it raises, and
    whitelist membership as an attribute the rules can test."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "lianqi.finance"
    verbose_name = _("金融超市")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.calendar_store import calendar_changed
        from lianqi.core.registry import (
            CodeTile,
            EnterpriseAttribute,
            EnterpriseSection,
            MenuEntry,
            MenuGroup,
        )
        from lianqi.core.roles import Role

        from . import dashboards, matching, measures, origins, queries, urls, whitelists
        from .api import urls as api_urls
        from .cells import mark_counted_days_stale
        from .permissions import MANAGERS, READERS, SHELF_READERS

        calendar_changed.connect(mark_counted_days_stale, dispatch_uid="finance_figures_calendar")

        # Two characters: the top bar holds every module on one line at 1280 px.
        registry.register_menu_groups(MenuGroup("finance", _("金融"), 55))
        registry.register_menu(
            MenuEntry("finance", _("金融产品"), "finance:products", SHELF_READERS, 10),
            MenuEntry("finance", _("为我推荐"), "finance:for_me", (Role.ENTERPRISE,), 20),
            MenuEntry("finance", _("联系企业融资匹配"), "finance:liaison_matches", (Role.LIAISON,), 25),
            MenuEntry("finance", _("融资申请"), "finance:applications", READERS, 30),
            MenuEntry("finance", _("金融服务概况"), "finance:overview", MANAGERS, 40),
            MenuEntry("finance", _("银企对接会"), "finance:events", (*MANAGERS, Role.FINANCE), 50),
            MenuEntry("finance", _("融资试点"), "finance:pilots", (*MANAGERS, Role.FINANCE), 60),
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_enterprise_sections(
            EnterpriseSection("finance", _("融资申请"), "finance:enterprise_section", MANAGERS, order=60)
        )
        registry.register_measures(*measures.MEASURES)
        registry.register_code_urls("finance", urls.code_urlpatterns)
        registry.register_code_tiles(
            CodeTile(
                "finance",
                _("融资"),
                "codes:finance_for_me",
                order=25,
                text=_("为我推荐：查看可申请的金融产品及理由"),
                count=matching.eligible_count,
            )
        )
        registry.register_origins(*origins.PROVIDERS)
        # Membership of the pilots' whitelists, for the rules: a product may admit only the
        # enterprises on a pilot's whitelist (finance_whitelists has DCZY).
        registry.register_enterprise_attributes(
            EnterpriseAttribute(whitelists.WHITELISTS, queries.whitelist_codes, whitelists.DECLARATION)
        )
