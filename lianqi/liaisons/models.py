"""The record of one-on-one liaison (一对一专属服务员, M1). The current liaison lives on
`Enterprise.liaison`; every change of it is an append-only `LiaisonChange` row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import AppendOnlyModel

from .choices import AssignmentMethod


class LiaisonChange(AppendOnlyModel):
    """One change of an enterprise's liaison: from whom, to whom, by whom, when, how and why.
    Rows are never edited or deleted; the enterprise's liaison history is these rows in order."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="liaison_changes",
        verbose_name=_("企业"),
    )
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, db_index=True, editable=False)
    from_staff = models.ForeignKey(
        "org.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("原联企干部"),
    )
    to_staff = models.ForeignKey(
        "org.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("新联企干部"),
    )
    method = models.CharField(_("方式"), max_length=16, choices=AssignmentMethod.choices)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("联企干部变更")
        verbose_name_plural = _("联企干部变更")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.from_staff_id} → {self.to_staff_id}"
