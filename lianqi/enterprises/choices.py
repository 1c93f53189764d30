from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseKind(models.TextChoices):
    """The kinds of market entity the seeds count separately."""

    ABOVE_SIZE = "above_size", _("规上企业")
    BELOW_SIZE = "below_size", _("规下企业")
    SHOP = "shop", _("门店")
    PROJECT = "project", _("在建项目")
    INDIVIDUAL = "individual", _("个体工商户")


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("在园")
    MOVED_OUT = "moved_out", _("已迁出")
    CLOSED = "closed", _("已注销")


class IndustryLevel(models.IntegerChoices):
    SECTION = 1, _("门类")
    DIVISION = 2, _("大类")
    GROUP = 3, _("中类")
    CLASS = 4, _("小类")
