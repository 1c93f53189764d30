from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "lianqi.enterprises"
    label = "enterprises"
    verbose_name = _("企业")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES

        from . import dashboards, measures, permissions, search, signals, tasks
        from .api import urls as api_urls

        registry.register_menu(
            registry.MenuEntry("enterprises", _("企业"), "enterprises:list", tuple(STAFF_ROLES), 10),
            registry.MenuEntry(
                "enterprises", _("企业导入"), "enterprises:import_start", tuple(OFFICE_ROLES), 30
            ),
            registry.MenuEntry("enterprises", _("企业标签"), "enterprises:tags", tuple(OFFICE_ROLES), 40),
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_measures(*measures.MEASURES)
        registry.register_search(
            registry.SearchProvider(
                "enterprises", _("企业"), search.find_enterprises, tuple(STAFF_ROLES), "enterprises:list", 10
            )
        )
        registry.register_enterprise_sections(
            registry.EnterpriseSection(
                "enterprises.figures",
                _("年度数据（万元）"),
                "enterprises:figures_section",
                permissions.REGISTER_ROLES,
                order=20,
            ),
            registry.EnterpriseSection(
                "enterprises.contacts",
                _("企业联系人"),
                "enterprises:contacts_section",
                permissions.REGISTER_ROLES,
                order=30,
            ),
        )
        # The import's actions ask for their steps on commit; the tasks put them on the queue.
        signals.import_requested.connect(tasks.queue_import_step, dispatch_uid="enterprises_import_step")
