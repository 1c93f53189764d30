"""The data of this wing and its invariants. Rename `Credit` to the wing's singular noun (an
inspection, a reservation) and the fields to the domain's words; every write goes through
`actions.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel
from lianqi.core.workflow import WorkflowEvent

from .choices import CreditState


class Credit(ScopedModel):
    """One item of this wing, about one enterprise, in the enterprise's jurisdiction. It runs
    the lifecycle of `workflow.py`: its state and version, and who changed it last and when
    (which the workflow kit keeps and names when a stale page is refused)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    title = models.CharField(_("标题"), max_length=200)
    outcome = models.TextField(_("办理结果"), blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=CreditState.choices, default=CreditState.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    last_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后操作人"),
    )
    last_changed_at = models.DateTimeField(_("最后操作时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A closed item says how it ended: the database keeps the rule if code forgets it.
            models.CheckConstraint(
                condition=~Q(state=CreditState.CLOSED) | ~Q(outcome=""), name="credit_closed_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("credit:detail", args=[self.pk])


class CreditEvent(WorkflowEvent):
    """One step of an item's history (`WorkflowEvent`): who did what, when, from which state to
    which, with what note. Rows are never edited or deleted."""

    credit = models.ForeignKey(
        Credit, on_delete=models.PROTECT, related_name="events", verbose_name=_("事项")
    )
    # The kit's columns, narrowed to this lifecycle's states so pages and the API show labels.
    from_state = models.CharField(_("原状态"), max_length=20, choices=CreditState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=CreditState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("事项办理记录")
        verbose_name_plural = _("事项办理记录")

    def __str__(self) -> str:
        return f"{self.credit_id}: {self.action} {self.from_state} → {self.to_state}"
