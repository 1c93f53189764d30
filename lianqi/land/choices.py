"""The statuses and steps of this wing as `TextChoices`: the workflow table, the pages, the
API and the docs read their labels from here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LandState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    CLOSED = "closed", _("已办结")


class LandAction(models.TextChoices):
    # Registering an item is an event of its history but no step of the table.
    CREATE = "create", _("登记")
    SUBMIT = "submit", _("提交")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回")
    CLOSE = "close", _("办结")


#: The states in which an item still waits on someone.
OPEN_STATES = (LandState.DRAFT, LandState.SUBMITTED, LandState.APPROVED)
