from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    """The policy supermarket (政策超市): policies as versioned eligibility rules, matches to
    enterprises, and the fulfilment ledger (承诺兑现)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "lianqi.policies"
    verbose_name = _("政策超市")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.registry import CodeTile, EnterpriseSection, MenuEntry
        from lianqi.core.roles import STAFF_ROLES, Role
        from lianqi.enterprises.signals import enterprise_changed

        from . import dashboards, measures, queries, search
        from .api import urls as api_urls
        from .permissions import LEDGER_STAFF, MATCH_READERS
        from .signals import policy_changed
        from .tasks import rematch_changed_enterprise, rematch_changed_policy
        from .urls import code as code_urls

        enterprise_changed.connect(rematch_changed_enterprise, dispatch_uid="policies_rematch_enterprise")
        policy_changed.connect(rematch_changed_policy, dispatch_uid="policies_rematch_policy")
        readers = (*STAFF_ROLES, Role.ENTERPRISE)
        registry.register_menu(
            MenuEntry("policies", _("政策超市"), "policies:list", readers, 10),
            MenuEntry("policies", _("兑现台账"), "policies:ledger", readers, 20),
        )
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_search(
            registry.SearchProvider(
                "policies", _("政策"), search.find_policies, tuple(STAFF_ROLES), "policies:list", 30
            )
        )
        registry.register_code_urls("policies", code_urls.urlpatterns)
        registry.register_code_tiles(
            CodeTile(
                "policy",
                _("政策"),
                "codes:policy_list",
                order=20,
                text=_("一键智配：查看可享受的政策及理由，在线申报"),
                count=queries.eligible_count,
            )
        )
        registry.register_enterprise_sections(
            EnterpriseSection(
                "policies.matches", _("政策匹配"), "policies:enterprise_matches", MATCH_READERS, order=40
            ),
            EnterpriseSection(
                "policies.benefits", _("政策兑现"), "policies:enterprise_benefits", LEDGER_STAFF, order=41
            ),
        )
        registry.register_measures(*measures.MEASURES)
        registry.register_dashboard(*dashboards.PARTS)
