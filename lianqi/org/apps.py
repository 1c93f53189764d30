from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "lianqi.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.roles import STAFF_ROLES

        from . import dashboards, measures
        from .api import urls as api_urls

        registry.register_menu(
            registry.MenuEntry("organisation", _("组织机构"), "org:jurisdictions", tuple(STAFF_ROLES), 10)
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_measures(*measures.MEASURES)
