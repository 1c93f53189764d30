"""API keys of the Open311 GeoReport v2 interface. A key belongs to one jurisdiction and, when
it is an enterprise's own integration, to one enterprise; it sees and files only demands inside
that scope. Only a hash of the key is stored: the key itself is shown once, when it is made."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel


class Open311Key(ScopedModel):
    """An Open311 client's credential (the `api_key` of the specification): a park's own system
    (a 12345 hotline bridge, a city platform) or one enterprise's system. `key_hash` is the
    SHA-256 of the key; `prefix` is its first characters, so that a person can tell keys apart
    in lists without the key being stored."""

    name = models.CharField(_("名称"), max_length=100)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属企业"),
        help_text=_("填写时，该密钥只能以此企业名义提交诉求、只能查看此企业的诉求"),
    )
    prefix = models.CharField(_("密钥前缀"), max_length=16, editable=False)
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 接口密钥")
        verbose_name_plural = _("Open311 接口密钥")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
