from django.apps import AppConfig


class ToyConfig(AppConfig):
    """The toy lifecycle the workflow kit is tested on (test settings only)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "lianqi.testing.toy"
    label = "toy"
