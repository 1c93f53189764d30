"""Base models every domain app builds on: jurisdiction scoping and long-running jobs, the
working-day calendar, and the log of every Excel export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and update times to a row."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ScopedModel(TimeStampedModel):
    """A row that belongs to one jurisdiction.

    `jurisdiction_path` copies the jurisdiction's path (``430000/430300/430371/``) so that
    scoping is one indexed prefix filter instead of a recursive join; it is refreshed on every
    save from the jurisdiction, which is the source of truth.
    """

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", on_delete=models.PROTECT, related_name="+", verbose_name=_("辖区")
    )
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, db_index=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "jurisdiction" in update_fields:
            kwargs["update_fields"] = {*update_fields, "jurisdiction_path"}
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """Compute the stored copies (here the jurisdiction path). `save()` calls it; code that
        writes with `bulk_create`/`bulk_update`, which bypass `save()`, must call it itself."""
        self.jurisdiction_path = self.jurisdiction.path


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Bulk writes would bypass the model's refusal, so they are refused here too."""

    def update(self, **kwargs: Any) -> int:
        raise RuntimeError(f"{self.model.__name__} rows are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    """A history row (an event): written once, never edited or deleted, so the record it keeps
    can be trusted. Workflow event tables derive from it."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"{type(self).__name__} rows are append-only")


class UploadedDocument(models.Model):
    """What every stored upload records besides its file: the name it was uploaded under, its
    size and type, who uploaded it and when. A subclass adds `file` (with its own folder) and
    what it documents; `uploads.store_upload` fills these fields."""

    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    at = models.DateTimeField(_("上传时间"))

    class Meta:
        abstract = True


class Job(TimeStampedModel):
    """A piece of long work (an import, an export, a recomputation) that a user started and can
    leave and come back to: its progress and outcome live here, not in the request."""

    class Kind(models.TextChoices):
        ENTERPRISE_IMPORT = "enterprise_import", _("企业导入")
        LIAISON_IMPORT = "liaison_import", _("联企干部导入")
        EXPORT = "export", _("导出")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        READY = "ready", _("待确认")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        CANCELLED = "cancelled", _("已取消")

    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("发起人")
    )
    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", on_delete=models.PROTECT, related_name="+", verbose_name=_("辖区")
    )
    file = models.FileField(_("文件"), upload_to="jobs/%Y/%m/", blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    total = models.PositiveIntegerField(_("总数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status in {self.Status.READY, self.Status.DONE} else 0
        return min(100, round(self.processed * 100 / self.total))


# --- The export log ----------------------------------------------------------------------------


class ExportRecord(AppendOnlyModel):
    """One Excel file someone took out of Lianqi: who, when, which export, under which filter,
    how many rows and which columns were masked for them. Written by the one download every
    export goes through (`lianqi.core.views.xlsx_download`, through the action
    `record_export`), never changed or deleted, so that a leaked file can be traced to the
    person who took it. Scoped by the exporter's jurisdiction; administrators read it."""

    at = models.DateTimeField(_("导出时间"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("导出人")
    )
    # Copies, so the record says what was true when the file left even after the account
    # is renamed or its roles change.
    username = models.CharField(_("用户名"), max_length=150)
    roles = models.CharField(_("角色"), max_length=200, blank=True)
    jurisdiction = models.ForeignKey(
        "org.Jurisdiction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("辖区"),
    )
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, db_index=True, blank=True)
    export = models.CharField(_("导出项"), max_length=60, db_index=True)
    title = models.CharField(_("名称"), max_length=100)
    query = models.TextField(_("筛选条件"), blank=True)
    rows = models.PositiveIntegerField(_("行数"))
    masked_columns = models.JSONField(_("脱敏列"), default=list, blank=True)

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.username} {self.title} @ {self.at:%Y-%m-%d %H:%M}"


# --- The working-day calendar ----------------------------------------------------------------


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("数据包")
    MANUAL = "manual", _("手工录入")


class CalendarYear(TimeStampedModel):
    """A year whose official holiday arrangement (国务院办公厅节假日安排) is in the table.

    The working-day clock uses the special days of loaded years only; for any other year it
    falls back to Monday–Friday and says so, so a year is "loaded" exactly when it has a row
    here. The table is national reference data shared by every jurisdiction."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    loaded_from = models.CharField(_("来源"), max_length=20, choices=CalendarSource.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class SpecialDay(TimeStampedModel):
    """One day that breaks the Monday–Friday rule: a statutory holiday (法定节假日, including the
    weekend days inside a holiday period) or a swapped working weekend day (调休上班日).
    Deadlines in working days are counted from these rows (see `lianqi.core.workdays`)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休上班日")

    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=CalendarSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="core_specialday_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["package", "manual"]), name="core_specialday_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name} {self.get_kind_display()}"
