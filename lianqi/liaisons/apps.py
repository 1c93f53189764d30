from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    name = "lianqi.liaisons"
    label = "liaisons"
    verbose_name = _("一对一联企")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.roles import OFFICE_ROLES, Role
        from lianqi.enterprises.signals import first_liaisons_named, liaisons_planned

        from . import actions, dashboards
        from .api import urls as api_urls

        registry.register_menu(
            registry.MenuEntry(
                "enterprises", _("联企覆盖"), "liaisons:coverage", (Role.LEADER, *OFFICE_ROLES), 20
            )
        )
        # The register names liaisons when it files or imports enterprises; the history is ours.
        first_liaisons_named.connect(actions.record_liaisons_named_at_filing, dispatch_uid="liaisons_first")
        liaisons_planned.connect(actions.set_planned_liaisons, dispatch_uid="liaisons_planned")
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_api_urls("liaisons", api_urls.urlpatterns)
