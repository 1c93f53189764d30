from django.apps import AppConfig


class Open311Config(AppConfig):
    """Open311 GeoReport v2: existing Open311 clients file and follow demands."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "lianqi.open311"
    verbose_name = "Open311"
