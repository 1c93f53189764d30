from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    """Enterprise demands (诉求, M3). The app adds itself to the shell through core's registries:
    its menu entries, its home-page parts, its API routes, its tile and pages on the
    enterprise's code page, its section of the enterprise's file and its measures."""

    name = "lianqi.demands"
    label = "demands"
    verbose_name = _("企业诉求")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.calendar_store import calendar_changed
        from lianqi.core.registry import CodeTile, EnterpriseSection, MenuEntry
        from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES, Role

        from . import dashboards, measures, queries, search
        from .api import urls as api_urls
        from .permissions import STAFF_READERS
        from .statistics import mark_counted_days_stale
        from .urls import code as code_urls

        calendar_changed.connect(mark_counted_days_stale, dispatch_uid="demands_statistics_calendar")
        office = tuple(OFFICE_ROLES)
        registry.register_menu(
            MenuEntry("demands", _("我的企业诉求"), "demands:liaison_home", (Role.LIAISON,), 10),
            MenuEntry("demands", _("我的诉求"), "demands:enterprise_demands", (Role.ENTERPRISE,), 15),
            MenuEntry("demands", _("提诉求"), "demands:create", (Role.ENTERPRISE,), 20),
            MenuEntry("demands", _("部门待办"), "demands:inbox", (Role.DEPARTMENT_HANDLER,), 30),
            MenuEntry("demands", _("诉求调度"), "demands:board", office, 40),
            MenuEntry("demands", _("遗留问题"), "demands:legacy", (Role.LEADER, *office), 50),
            MenuEntry(
                "demands",
                _("诉求统计"),
                "demands:statistics",
                (Role.LEADER, *office, Role.DEPARTMENT_HANDLER),
                60,
            ),
            MenuEntry("demands", _("诉求类别"), "demands:categories", office, 70),
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_enterprise_facts(*dashboards.FACTS)
        # The full register with its search, for those who answer for every demand.
        registry.register_menu(
            MenuEntry("demands", _("诉求台账"), "demands:list", (Role.LEADER, *office), 45)
        )
        registry.register_search(
            registry.SearchProvider(
                "demands", _("诉求"), search.find_demands, tuple(STAFF_ROLES), "demands:list", 20
            )
        )
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_api_urls("demands", api_urls.urlpatterns)
        registry.register_code_urls("demands", code_urls.urlpatterns)
        registry.register_code_tiles(
            CodeTile(
                "demand",
                _("诉求"),
                "codes:demand_list",
                order=10,
                text=_("码上填报诉求，随时查看办理进度，办结后评价"),
                public=True,
                count=lambda enterprise: queries.open_demands(enterprise).count(),
            )
        )
        registry.register_enterprise_sections(
            EnterpriseSection(
                "demands", _("诉求"), "demands:enterprise_section", roles=STAFF_READERS, order=30
            )
        )
        registry.register_measures(*measures.MEASURES)
