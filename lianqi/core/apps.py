from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lianqi.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from . import dashboards, navigation

        navigation.register()
        dashboards.register()
