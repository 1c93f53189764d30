"""The data of the park's credit work (信用 + 园区) and its invariants: per enterprise, its
credit commitments, honours, dishonesty records (each with its repair workflow), collective
interviews and 湘信贷 registration; per jurisdiction, the published scoring rule that computes
every enterprise's credit class (never stored, never typed) and the credit-based conveniences
(信易+) with the class each asks for. Every write goes through `actions.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel
from lianqi.core.workflow import WorkflowEvent

from .choices import BenefitKind, CreditClass, RecordKind, RecordSource, RepairState


def _enterprise() -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )


class Commitment(ScopedModel):
    """A credit commitment (信用承诺书) an enterprise signed: which text, when, by whom, and the
    scanned signed copy."""

    enterprise = _enterprise()
    text_version = models.CharField(_("承诺书版本"), max_length=60)
    signed_on = models.DateField(_("签署日期"))
    signed_by = models.CharField(_("签署人"), max_length=60)
    scan = models.FileField(_("扫描件"), upload_to="credit/commitments/%Y/", blank=True)

    class Meta:
        verbose_name = _("信用承诺书")
        verbose_name_plural = _("信用承诺书")
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.text_version} · {self.signed_on}"


class Honour(ScopedModel):
    """A credit honour of one year (诚信示范企业, 守合同重信用企业 …)."""

    enterprise = _enterprise()
    title = models.CharField(_("荣誉称号"), max_length=80)
    year = models.PositiveSmallIntegerField(_("年度"))
    awarded_by = models.CharField(_("授予单位"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("诚信荣誉")
        verbose_name_plural = _("诚信荣誉")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "title", "year"], name="credit_honour_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class DishonestyRecord(ScopedModel):
    """A dishonesty record published by an outside authority (a dishonesty list, an
    administrative penalty, the abnormal-operations register), entered or imported. It runs
    the repair workflow of `workflow.py`: application, materials, review, repair with its
    date. Until repaired it counts against the enterprise's credit class."""

    enterprise = _enterprise()
    kind = models.CharField(_("记录类型"), max_length=20, choices=RecordKind.choices)
    authority = models.CharField(_("认定机关"), max_length=80)
    document_no = models.CharField(_("决定文书号"), max_length=80, blank=True)
    decided_on = models.DateField(_("认定日期"))
    summary = models.TextField(_("失信事由"))
    source = models.CharField(
        _("来源"), max_length=20, choices=RecordSource.choices, default=RecordSource.ENTERED
    )
    state = models.CharField(
        _("修复状态"), max_length=20, choices=RepairState.choices, default=RepairState.IN_FORCE, db_index=True
    )
    applied_on = models.DateField(_("申请修复日期"), null=True, blank=True)
    materials = models.TextField(_("修复材料"), blank=True)
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    repaired_on = models.DateField(_("修复日期"), null=True, blank=True)
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
        verbose_name = _("失信记录")
        verbose_name_plural = _("失信记录")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            # A repaired record says when: the database keeps the rule if code forgets it.
            models.CheckConstraint(
                condition=~Q(state=RepairState.REPAIRED) | Q(repaired_on__isnull=False),
                name="credit_repaired_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.document_no or self.decided_on}"

    def get_absolute_url(self) -> str:
        return reverse("credit:record", args=[self.pk])


class RecordEvent(WorkflowEvent):
    """One step of a record's repair (`WorkflowEvent`): who did what, when, from which state to
    which, with what note. Rows are never edited or deleted."""

    record = models.ForeignKey(
        DishonestyRecord, on_delete=models.PROTECT, related_name="events", verbose_name=_("失信记录")
    )
    from_state = models.CharField(_("原状态"), max_length=20, choices=RepairState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=RepairState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("信用修复记录")
        verbose_name_plural = _("信用修复记录")

    def __str__(self) -> str:
        return f"{self.record_id}: {self.action} {self.from_state} → {self.to_state}"


class Interview(ScopedModel):
    """A collective interview of dishonest enterprises (失信企业集体约谈) held by the park."""

    held_on = models.DateField(_("约谈日期"))
    topic = models.CharField(_("约谈主题"), max_length=120)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", related_name="+", verbose_name=_("约谈企业")
    )
    note = models.TextField(_("约谈情况"), blank=True)

    class Meta:
        verbose_name = _("失信企业集体约谈")
        verbose_name_plural = _("失信企业集体约谈")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class XindaiRegistration(ScopedModel):
    """An enterprise's registration on 湘信贷 (Hunan's credit-information loan platform)."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    registered_on = models.DateField(_("注册日期"))

    class Meta:
        verbose_name = _("湘信贷注册")
        verbose_name_plural = _("湘信贷注册")
        ordering = ["-registered_on", "-pk"]

    def __str__(self) -> str:
        return str(self.registered_on)


class ScoringRule(ScopedModel):
    """One published version of a jurisdiction's credit scoring rule (`scoring.Rule`). Editing
    the rule publishes a new version; the latest version of the nearest jurisdiction above an
    enterprise scores it, and the built-in default when none is published."""

    version = models.PositiveIntegerField(_("版本"))
    base = models.IntegerField(_("基础分"))
    commitment = models.IntegerField(_("签署信用承诺书加分"))
    honour = models.IntegerField(_("每项诚信荣誉加分"))
    honour_years = models.PositiveSmallIntegerField(_("荣誉与约谈计分年限"))
    xindai = models.IntegerField(_("湘信贷注册加分"))
    blacklist = models.IntegerField(_("每条失信名单记录扣分"))
    penalty = models.IntegerField(_("每条行政处罚记录扣分"))
    abnormal = models.IntegerField(_("每条经营异常记录扣分"))
    interview = models.IntegerField(_("每次集体约谈扣分"))
    a_min = models.IntegerField(_("A级最低分"))
    b_min = models.IntegerField(_("B级最低分"))
    c_min = models.IntegerField(_("C级最低分"))
    blacklist_veto = models.BooleanField(_("失信名单一票否决（直接评为D级）"), default=True)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )

    class Meta:
        verbose_name = _("信用评分规则")
        verbose_name_plural = _("信用评分规则")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "version"], name="credit_rule_version_once"),
            models.CheckConstraint(
                condition=Q(a_min__gt=models.F("b_min")) & Q(b_min__gt=models.F("c_min")),
                name="credit_rule_thresholds_descend",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class Convenience(ScopedModel):
    """A credit-based convenience (信易+) a jurisdiction offers: the benefit, the department that
    gives it, and the credit condition, the lowest class that enjoys it (and, when asked, no
    record in force). Withdrawn, it stays listed for the record but is offered to no one."""

    name = models.CharField(_("名称"), max_length=80)
    benefit = models.CharField(_("便利类型"), max_length=20, choices=BenefitKind.choices)
    description = models.TextField(_("便利内容"))
    lowest_class = models.CharField(_("最低信用等级"), max_length=1, choices=CreditClass.choices)
    no_record_in_force = models.BooleanField(_("要求无未修复失信记录"), default=False)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提供部门"),
    )
    active = models.BooleanField(_("生效中"), default=True)

    class Meta:
        verbose_name = _("信易+便利")
        verbose_name_plural = _("信易+便利")
        ordering = ["benefit", "name", "pk"]

    def __str__(self) -> str:
        return self.name
