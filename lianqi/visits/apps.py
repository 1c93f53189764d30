from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    """Visit campaigns and questionnaires (大走访 + 电子问卷, M2). The app adds itself to the
    shell through core's registries, so nothing in core or a sibling app names it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "lianqi.visits"
    verbose_name = _("走访")
