from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    name = "lianqi.liaisons"
    label = "liaisons"
    verbose_name = _("一对一联企")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.roles import OFFICE_ROLES, Role
        from lianqi.enterprises.signals import liaisons_set

        from . import actions, dashboards, measures, permissions
        from .api import urls as api_urls

        registry.register_menu(
            registry.MenuEntry(
                "enterprises", _("联企覆盖"), "liaisons:coverage", (Role.LEADER, *OFFICE_ROLES), 20
            )
        )
        # The register sets liaisons itself when it files or imports enterprises; the history
        # of every liaison is ours, kept in the register's transaction.
        liaisons_set.connect(actions.on_liaisons_set, dispatch_uid="liaisons_history")
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_api_urls("liaisons", api_urls.urlpatterns)
        registry.register_enterprise_sections(
            registry.EnterpriseSection(
                "liaisons.history",
                _("联企干部"),
                "liaisons:enterprise_section",
                permissions.HISTORY_ROLES,
                order=10,
            )
        )
        registry.register_measures(*measures.MEASURES)
