from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    """The land supermarket (土地超市): the park's parcels on a map drawn from their own
    boundaries, smart selection for a project's needs and reservations bought online. It adds
    itself to the shell through core's registries: its menu group and entries, its cards on
    the service office's home page, its API routes, its tile on the enterprise's code page,
    its section of the enterprise's file and its measures."""

    default_auto_field = "django.db.models.BigAutoField"
    name = __name__.rpartition(".")[0]
    verbose_name = _("土地超市")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.registry import CodeTile, EnterpriseSection, MenuEntry, MenuGroup
        from lianqi.core.roles import Role

        from . import dashboards, measures, queries, urls
        from .api import urls as api_urls
        from .permissions import MANAGERS, READERS

        registry.register_menu_groups(MenuGroup("land", _("土地"), 65))
        registry.register_menu(
            MenuEntry("land", _("土地超市"), "land:map", READERS, 10),
            MenuEntry("land", _("智能选地"), "land:select", READERS, 20),
            MenuEntry("land", _("用地预订"), "land:reservations", READERS, 30),
            MenuEntry("land", _("导入地块"), "land:import", (Role.SERVICE_OFFICE, Role.ADMIN), 40),
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_code_urls("land", urls.code_urlpatterns)
        registry.register_code_tiles(
            CodeTile(
                "land",
                _("用地预订"),
                "codes:land_list",
                order=50,
                text=_("查看本企业在办的用地预订"),
                count=lambda enterprise: queries.open_for_enterprise(enterprise).count(),
            )
        )
        registry.register_enterprise_sections(
            EnterpriseSection("land", _("用地预订"), "land:enterprise_section", MANAGERS, order=50)
        )
        registry.register_measures(*measures.MEASURES)
