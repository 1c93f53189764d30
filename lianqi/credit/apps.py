from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    """The park's credit work (信用 + 园区). It adds itself to the shell through core's
    registries, so nothing in core or a sibling app names it: its menu group and entries, its
    card on the service office's home page, its API routes, its tile and page on the
    enterprise's code page, its section of the enterprise's file, its measures, and the credit
    class as an attribute of the enterprises the eligibility engine reads."""

    default_auto_field = "django.db.models.BigAutoField"
    name = __name__.rpartition(".")[0]
    verbose_name = _("信用园区")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.registry import (
            CodeTile,
            EnterpriseAttribute,
            EnterpriseSection,
            MenuEntry,
            MenuGroup,
        )
        from lianqi.rules.catalogue import Attribute, AttributeKind, gettext_noop

        from . import dashboards, measures, queries, urls
        from .api import urls as api_urls
        from .permissions import MANAGERS

        registry.register_menu_groups(MenuGroup("credit", _("信用园区"), 60))
        registry.register_menu(
            MenuEntry("credit", _("信用评价"), "credit:classes", MANAGERS, 10),
            MenuEntry("credit", _("信用承诺"), "credit:commitments", MANAGERS, 20),
            MenuEntry("credit", _("诚信荣誉"), "credit:honours", MANAGERS, 30),
            MenuEntry("credit", _("失信记录"), "credit:records", MANAGERS, 40),
            MenuEntry("credit", _("信用修复"), "credit:repairs", MANAGERS, 50),
            MenuEntry("credit", _("集体约谈"), "credit:interviews", MANAGERS, 60),
            MenuEntry("credit", _("信易+便利"), "credit:conveniences", MANAGERS, 70),
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_routes(*api_urls.ROUTES)
        registry.register_code_urls("credit", urls.code_urlpatterns)
        registry.register_code_tiles(
            CodeTile(
                "credit",
                _("我的信用"),
                "codes:credit",
                order=50,
                text=_("查看本企业的信用等级和可享受的信易+便利"),
                count=lambda enterprise: queries.open_for_enterprise(enterprise).count(),
            )
        )
        registry.register_enterprise_sections(
            EnterpriseSection("credit", _("信用"), "credit:enterprise_section", MANAGERS, order=50)
        )
        registry.register_measures(*measures.MEASURES)
        # The class as the eligibility engine's `credit_class`, declared here with its values:
        # policies, finance products and pilots' whitelists may ask for a class.
        registry.register_enterprise_attributes(
            EnterpriseAttribute(
                "credit_class",
                queries.credit_classes,
                Attribute(
                    "credit_class",
                    gettext_noop("信用等级"),
                    AttributeKind.ENUM,
                    gettext_noop("信用评价"),
                    choices={
                        "A": gettext_noop("A级（诚信）"),
                        "B": gettext_noop("B级（良好）"),
                        "C": gettext_noop("C级（警示）"),
                        "D": gettext_noop("D级（失信）"),
                    },
                ),
            )
        )
