from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    """Visit campaigns and questionnaires (大走访 + 电子问卷, M2). The app adds itself to the
    shell through core's registries, so nothing in core or a sibling app names it: its menu
    group and entries, its card on the service office's home page, its API routes, its section
    of the enterprise's file, its measures, and the visit a demand came from."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "lianqi.visits"
    verbose_name = _("走访")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.registry import EnterpriseSection, MenuEntry, MenuGroup

        from . import dashboards, measures, origins
        from .api import urls as api_urls
        from .permissions import BUILDERS, READERS, RECORDERS
        from .views.recording import SECTION_ROLES

        registry.register_menu_groups(MenuGroup("visits", _("走访"), 15))
        registry.register_menu(
            MenuEntry("visits", _("记录走访"), "visits:visit_create", RECORDERS, 10),
            MenuEntry("visits", _("走访活动"), "visits:campaign_list", READERS, 20),
            MenuEntry("visits", _("问卷"), "visits:questionnaire_list", BUILDERS, 30),
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_enterprise_facts(*dashboards.FACTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_enterprise_sections(
            EnterpriseSection("visits", _("走访记录"), "visits:enterprise_section", SECTION_ROLES, order=20)
        )
        registry.register_measures(*measures.MEASURES)
        registry.register_origins(*origins.PROVIDERS)
        self._register_code_pages()

    def _register_code_pages(self) -> None:
        """The electronic questionnaire on the enterprise's code page: its pages under
        ``/c/<token>/visits/`` and its tile, shown while an open campaign takes the enterprise in
        (it replaces core's 即将开放 tile of the same key)."""
        from lianqi.core import registry
        from lianqi.core.registry import CodeTile

        from . import urls_code
        from .views.code import tile_available

        registry.register_code_urls("visits", urls_code.urlpatterns)
        registry.register_code_tiles(
            CodeTile(
                "questionnaire",
                _("问卷"),
                "codes:visit_list",
                order=30,
                text=_("填写走访活动的电子问卷"),
                available=tile_available,
            )
        )
