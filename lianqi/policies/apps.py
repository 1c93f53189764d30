from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    """The policy supermarket (政策超市): policies as versioned eligibility rules, matches to
    enterprises, and the fulfilment ledger (承诺兑现)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "lianqi.policies"
    verbose_name = _("政策超市")
