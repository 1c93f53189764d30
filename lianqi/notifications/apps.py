from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lianqi.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.roles import Role

        registry.register_menu(
            registry.MenuEntry("messages", _("消息"), "notifications:inbox", tuple(Role), 10)
        )
