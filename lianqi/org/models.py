"""The park's organisation: the jurisdiction tree, its departments and its staff."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel, TimeStampedModel

from .choices import ALLOWED_CHILD_LEVELS, JurisdictionLevel, StaffTier


class Jurisdiction(TimeStampedModel):
    """A node of the administrative tree (province → city → park or county → township →
    village → group), identified by its administrative code. Its `path` lists the codes from the
    root down and is what every scoped row copies."""

    code = models.CharField(_("行政区划代码"), max_length=24, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=JurisdictionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("深度"), default=0, editable=False)

    class Meta:
        verbose_name = _("辖区")
        verbose_name_plural = _("辖区")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent is None:
            return
        if self.level not in ALLOWED_CHILD_LEVELS.get(self.parent.level, ()):
            raise ValidationError(
                {
                    "level": _("%(parent)s 之下不能设立 %(level)s")
                    % {"parent": self.parent.get_level_display(), "level": self.get_level_display()}
                }
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        prefix = self.parent.path if self.parent_id and self.parent else ""
        self.path = f"{prefix}{self.code}/"
        self.depth = self.path.count("/") - 1
        super().save(*args, **kwargs)

    def ancestors(self) -> list[Jurisdiction]:
        codes = self.path.strip("/").split("/")[:-1]
        by_code = {j.code: j for j in Jurisdiction.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def descendants(self, include_self: bool = True) -> models.QuerySet[Jurisdiction]:
        qs = Jurisdiction.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


class Department(ScopedModel):
    """A department of a jurisdiction's administration (自然资源和规划, 住建, 税务 …): the unit
    demands are assigned to and liaisons of an industry come from."""

    name = models.CharField(_("部门名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    industry_prefixes = models.CharField(
        _("对口行业"),
        max_length=200,
        blank=True,
        help_text=_("GB/T 4754 行业代码前缀，逗号分隔；按行业分配联企干部时使用"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["jurisdiction_path", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "name"], name="department_unique_name_per_jurisdiction"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def industry_prefix_list(self) -> list[str]:
        return [p.strip() for p in self.industry_prefixes.split(",") if p.strip()]


class Staff(ScopedModel):
    """A cadre or employee of the administration. Liaisons, handlers and leaders are staff; a
    staff member may exist without a login (many liaisons never log in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("登录账号"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("部门"),
    )
    position = models.CharField(_("职务"), max_length=60, blank=True)
    tier = models.CharField(_("层级"), max_length=16, choices=StaffTier.choices, default=StaffTier.STAFF)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["jurisdiction_path", "department__order", "name"]
        indexes = [models.Index(fields=["jurisdiction_path", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.department is not None
            and self.jurisdiction_id
            and not self.jurisdiction.path.startswith(self.department.jurisdiction_path)
        ):
            raise ValidationError({"department": _("部门不属于该干部所在辖区")})
