"""Enterprises (企业 / 市场主体) of a park, their industry, tags, yearly figures and contacts."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lianqi.core.models import ScopedModel, TimeStampedModel
from lianqi.core.privacy import mask_phone
from lianqi.core.search import normalise_search_text

from .choices import EnterpriseKind, EnterpriseStatus, IndustryLevel
from .validators import validate_credit_code


class Industry(models.Model):
    """A node of GB/T 4754-2017, the national economic industry classification: a section
    (门类, one letter), a division (大类, 2 digits), a group (中类, 3) or a class (小类, 4).
    The project ships the sections and divisions; `import_industries` loads the full table."""

    code = models.CharField(_("行业代码"), max_length=5, primary_key=True)
    level = models.PositiveSmallIntegerField(_("层级"), choices=IndustryLevel.choices)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    section = models.CharField(_("门类"), max_length=1, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["section", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Tag(models.Model):
    """A label of a jurisdiction's vocabulary (专精特新, 小巨人, 链主企业 …). A tag without a
    jurisdiction is national (全国通用): every park sees it, only an administrator changes it. A
    tag of a jurisdiction is seen by that jurisdiction, the ones below it and the ones above it
    (the city's tags by its parks, a park's tags by the city), never by a sibling; only there may
    it be put on an enterprise, renamed, merged or deleted (`permissions.tags_visible`,
    `can_change_tag`, `applies_to`). A name is used once along a line of the tree, so a
    park never sees two tags of one name; the database holds the part it can check (one name per
    jurisdiction, one per national vocabulary), the actions the rest."""

    name = models.CharField(_("标签"), max_length=40)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    jurisdiction = models.ForeignKey(
        "org.Jurisdiction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属辖区"),
    )
    #: The jurisdiction's path, "" for a national tag: visibility is then prefix tests on one
    #: indexed column, as for every scoped row.
    jurisdiction_path = models.CharField(
        _("辖区路径"), max_length=255, blank=True, default="", db_index=True, editable=False
    )

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="tag_unique_name_per_jurisdiction"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(jurisdiction__isnull=True),
                name="tag_unique_national_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.jurisdiction_path = self.jurisdiction.path if self.jurisdiction is not None else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "jurisdiction" in update_fields:
            kwargs["update_fields"] = {*update_fields, "jurisdiction_path"}
        super().save(*args, **kwargs)

    @property
    def is_national(self) -> bool:
        return self.jurisdiction_id is None

    def applies_to(self, jurisdiction_path: str) -> bool:
        """Whether an enterprise of `jurisdiction_path` may carry this tag: a national tag, or one
        of that jurisdiction or of a jurisdiction above it."""
        return self.is_national or jurisdiction_path.startswith(self.jurisdiction_path)


def new_code_token() -> str:
    """An unguessable token for an enterprise's code (营商码): 128 random bits."""
    return secrets.token_urlsafe(16)


class Enterprise(ScopedModel):
    """A market entity of the park, identified by its unified social credit code. It always has
    one current liaison once covered (`liaison`); every change of liaison is kept in
    `liaisons.LiaisonChange`. `code_token` is what the enterprise's QR code carries."""

    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("企业名称"), max_length=200)
    kind = models.CharField(_("主体类型"), max_length=16, choices=EnterpriseKind.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=EnterpriseStatus.choices, default=EnterpriseStatus.ACTIVE
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("所属行业")
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="enterprises", verbose_name=_("标签"))
    liaison = models.ForeignKey(
        "org.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("联企干部"),
    )
    code_token = models.CharField(
        _("营商码令牌"), max_length=40, unique=True, default=new_code_token, editable=False
    )
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["jurisdiction_path", "name"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return self.name

    def fill_derived_fields(self) -> None:
        super().fill_derived_fields()
        self.search_text = normalise_search_text(
            self.name, self.credit_code, self.address, self.legal_representative
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class YearFigure(TimeStampedModel):
    """One enterprise's figures for one year, in 万元: output value, revenue, tax, R&D spending."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="year_figures", verbose_name=_("企业")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    output_value = models.DecimalField(
        _("产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    revenue = models.DecimalField(
        _("营业收入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    tax = models.DecimalField(_("税收（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    rd_spending = models.DecimalField(
        _("研发投入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度数据")
        verbose_name_plural = _("年度数据")
        ordering = ["enterprise", "-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="year_figure_unique_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class Contact(TimeStampedModel):
    """A person at an enterprise the park talks to. Phone numbers are masked for roles that do
    not need them (see `lianqi.enterprises.permissions.can_see_contact_phone`)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("企业")
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")
        ordering = ["enterprise", "-is_primary", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class RetiredCodeToken(models.Model):
    """A code token that was replaced: scanning it tells the visitor the code was renewed,
    rather than that it never existed."""

    token = models.CharField(_("令牌"), max_length=40, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="retired_tokens", verbose_name=_("企业")
    )
    retired_at = models.DateTimeField(_("停用时间"), auto_now_add=True)
    retired_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )

    class Meta:
        verbose_name = _("已停用营商码")
        verbose_name_plural = _("已停用营商码")

    def __str__(self) -> str:
        return self.token


class PhoneCode(models.Model):
    """A one-time code (短信验证码) sent to the phone of someone filing through an enterprise's
    code, where there is no account: confirming the code shows the filer holds that phone. Only
    a keyed hash of the code is stored, so a database dump reveals no live code; `attempts`
    counts wrong guesses, and rows stay after use so that resends can be throttled per phone
    and code token and per client address (`client_address`)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="phone_codes", verbose_name=_("企业")
    )
    token = models.CharField(_("营商码令牌"), max_length=40, db_index=True)
    phone = models.CharField(_("手机号"), max_length=20, db_index=True)
    name = models.CharField(_("联系人"), max_length=40)
    salt = models.CharField(_("盐值"), max_length=32)
    code_hash = models.CharField(_("验证码摘要"), max_length=128)
    created_at = models.DateTimeField(_("发送时间"), db_index=True)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    confirmed_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    client_address = models.GenericIPAddressField(_("请求地址"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} @ {self.created_at:%Y-%m-%d %H:%M}"
