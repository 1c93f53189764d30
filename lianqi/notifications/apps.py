from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lianqi.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from lianqi.core import registry
        from lianqi.core.roles import Role

        from . import signals, tasks

        registry.register_menu(
            registry.MenuEntry("messages", _("消息"), "notifications:inbox", tuple(Role), 10)
        )
        # A queued notification is delivered by a task once its transaction commits.
        signals.notification_queued.connect(tasks.enqueue_delivery, dispatch_uid="notifications_delivery")
