from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    """Enforcement inspections registered before entry (M4). It adds itself to the shell through core's registries, so nothing
    in core or a sibling app names it: its menu group and entry, its card on the service
    office's home page, its API routes, its tile and pages on the enterprise's code page, its
    section of the enterprise's file and its measures."""

    default_auto_field = "django.db.models.BigAutoField"
    # The app's dotted path wherever the template was rendered (`lianqi/<name>/`).
    name = __name__.rpartition(".")[0]
    verbose_name = _("执法检查")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.registry import CodeTile, EnterpriseSection, MenuEntry, MenuGroup

        from . import dashboards, measures, queries, urls
        from .api import urls as api_urls
        from .permissions import MANAGERS, REGISTRARS

        registry.register_menu_groups(MenuGroup("inspections", _("执法检查"), 60))
        registry.register_menu(
            MenuEntry("inspections", _("执法检查"), "inspections:list", REGISTRARS, 10),
            MenuEntry("inspections", _("双随机抽查"), "inspections:draw_create", MANAGERS, 20),
            MenuEntry("inspections", _("联合检查"), "inspections:joint_visits", MANAGERS, 15),
            MenuEntry("inspections", _("检查事项清单"), "inspections:items", REGISTRARS, 25),
            MenuEntry("inspections", _("柔性执法清单"), "inspections:lenient_manage", MANAGERS, 30),
            MenuEntry("inspections", _("执法人员库"), "inspections:inspectors", MANAGERS, 40),
            MenuEntry("inspections", _("免检企业"), "inspections:quiet_periods", MANAGERS, 50),
            MenuEntry("inspections", _("执法检查统计"), "inspections:statistics", REGISTRARS, 60),
            MenuEntry("inspections", _("检查频次上限"), "inspections:caps", MANAGERS, 61),
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_api_urls("inspections", api_urls.urlpatterns)
        registry.register_code_urls("inspections", urls.code_urlpatterns)
        # A service core announces as coming soon (`core.navigation.COMING`) is registered under
        # the key it announced, so that this tile takes the announcement's place.
        registry.register_code_tiles(
            CodeTile(
                "inspection",
                _("执法检查"),
                "codes:inspections_list",
                order=50,
                text=_("查看登记入企的执法检查"),
                count=lambda enterprise: queries.open_for_enterprise(enterprise).count(),
            )
        )
        registry.register_enterprise_sections(
            EnterpriseSection(
                "inspections", _("执法检查"), "inspections:enterprise_section", REGISTRARS, order=50
            )
        )
        registry.register_measures(*measures.MEASURES)
