"""The states and steps of an approval item in a project's run, and the forms a material comes
in, as `TextChoices`: the workflow table, the pages, the API and the docs read their labels
from here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemState(models.TextChoices):
    """Where one approval item of a project stands."""

    WAITING = "waiting", _("待申报")
    SUBMITTED = "submitted", _("已申报")
    ACCEPTED = "accepted", _("已受理")
    APPROVED = "approved", _("已办结")
    RETURNED = "returned", _("已退回")


class ItemAction(models.TextChoices):
    # Starting a project's run creates its items: an event of their history, no step of the table.
    CREATE = "create", _("启动审批")
    SUBMIT = "submit", _("申报")
    ACCEPT = "accept", _("受理")
    ACCEPT_LENIENT = "accept_lenient", _("容缺受理")
    RETURN = "return", _("退回")
    APPROVE = "approve", _("办结")
    SUPPLY = "supply", _("补齐容缺材料")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    ELECTRONIC = "electronic", _("电子件")


#: The states in which an item still waits on someone.
OPEN_STATES = (ItemState.WAITING, ItemState.SUBMITTED, ItemState.ACCEPTED, ItemState.RETURNED)
#: The 30 working days a key project's approvals are promised in (DOMAIN M9).
TARGET_WORKDAYS = 30
