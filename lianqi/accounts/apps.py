from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lianqi.accounts"
    label = "accounts"
    verbose_name = _("账号与权限")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.roles import Role

        from . import dashboards
        from .api import urls as api_urls

        registry.register_menu(
            registry.MenuEntry("system", _("用户管理"), "accounts:users", (Role.ADMIN,), 20)
        )
        registry.register_dashboard(*dashboards.PARTS)
        registry.register_api_urls("accounts", api_urls.urlpatterns)
