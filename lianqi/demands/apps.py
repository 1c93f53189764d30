from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "lianqi.demands"
    label = "demands"
    verbose_name = _("企业诉求")

    def ready(self) -> None:
        from lianqi.core.calendar_store import calendar_changed

        from .actions_statistics import mark_counted_days_stale

        calendar_changed.connect(mark_counted_days_stale, dispatch_uid="demands_statistics_calendar")
