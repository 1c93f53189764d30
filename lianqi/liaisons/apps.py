from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    name = "lianqi.liaisons"
    label = "liaisons"
    verbose_name = _("一对一联企")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.roles import OFFICE_ROLES, Role

        from . import dashboards
        from .api import urls as api_urls

        registry.register_menu(
            registry.MenuEntry(
                "enterprises", _("联企覆盖"), "liaisons:coverage", (Role.LEADER, *OFFICE_ROLES), 20
            )
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
