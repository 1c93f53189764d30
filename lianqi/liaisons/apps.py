from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    name = "lianqi.liaisons"
    label = "liaisons"
    verbose_name = _("一对一联企")
