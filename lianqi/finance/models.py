"""The finance supermarket's data and its invariants: the financial institutions with their
users, the products they put on the shelf (admission criteria as a rule of `lianqi.rules`),
and enterprises' applications with their history. Money is kept in fen (分) as integers, so
sums are exact; every write goes through `actions.py`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel, TimeStampedModel, UploadedDocument
from lianqi.core.uploads import stored_name
from lianqi.core.workflow import WorkflowEvent

from .choices import (
    DECIDING_STATES,
    ApplicationState,
    FigureDimension,
    InstitutionKind,
    ProductKind,
    ProductState,
    VersionState,
)


class Institution(ScopedModel):
    """A financial institution that serves the enterprises of its jurisdiction and those below
    it (a city's bank serves every park of the city). Its users (the financial-institution
    role) are its `members`: they see its products and the applications made to it, nothing of
    another institution."""

    name = models.CharField(_("机构名称"), max_length=100)
    kind = models.CharField(_("机构类型"), max_length=20, choices=InstitutionKind.choices)
    branches = models.PositiveIntegerField(_("本地网点数"), default=0)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="finance_institutions", blank=True, verbose_name=_("机构用户")
    )

    class Meta:
        verbose_name = _("金融机构")
        verbose_name_plural = _("金融机构")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="finance_institution_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Product(TimeStampedModel):
    """A financial product of one institution: the amounts it lends (in fen), its yearly rate
    range in percent, the terms it offers in months, and its admission criteria as one rule in
    the rule format of `lianqi.rules` (``{"version": 1, "rules": [{"code": <code>, …}]}``),
    which the supermarket matches every enterprise against."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="products", verbose_name=_("金融机构")
    )
    code = models.CharField(_("产品编号"), max_length=40, unique=True)
    name = models.CharField(_("产品名称"), max_length=100)
    kind = models.CharField(_("产品类型"), max_length=20, choices=ProductKind.choices)
    min_amount_fen = models.BigIntegerField(_("最低额度（分）"))
    max_amount_fen = models.BigIntegerField(_("最高额度（分）"))
    min_rate = models.DecimalField(_("最低年利率（%）"), max_digits=5, decimal_places=2)
    max_rate = models.DecimalField(_("最高年利率（%）"), max_digits=5, decimal_places=2)
    min_term_months = models.PositiveIntegerField(_("最短期限（月）"))
    max_term_months = models.PositiveIntegerField(_("最长期限（月）"))
    collateral = models.CharField(_("担保方式"), max_length=200, blank=True)
    promise_workdays = models.PositiveIntegerField(_("承诺受理时限（工作日）"), default=5)
    decide_workdays = models.PositiveIntegerField(_("承诺审批时限（工作日）"), default=15)
    description = models.TextField(_("产品介绍"), blank=True)
    rule = models.JSONField(_("准入条件"))
    state = models.CharField(
        _("状态"), max_length=20, choices=ProductState.choices, default=ProductState.DRAFT, db_index=True
    )
    # The published version whose terms the product carries now (empty: the terms it was
    # first published with). The terms above are copied from it on its first day.
    version = models.ForeignKey(
        "ProductVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("现行版本"),
    )

    class Meta:
        verbose_name = _("金融产品")
        verbose_name_plural = _("金融产品")
        ordering = ["institution__name", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount_fen__gt=0) & Q(max_amount_fen__gte=F("min_amount_fen")),
                name="finance_product_amount_range",
            ),
            models.CheckConstraint(
                condition=Q(min_rate__gte=0) & Q(max_rate__gte=F("min_rate")),
                name="finance_product_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(min_term_months__gt=0) & Q(max_term_months__gte=F("min_term_months")),
                name="finance_product_term_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("finance:product", args=[self.pk])


#: The terms a version of a product carries (and copies onto the product on its first day).
VERSIONED_TERMS = (
    "min_amount_fen",
    "max_amount_fen",
    "min_rate",
    "max_rate",
    "min_term_months",
    "max_term_months",
    "collateral",
    "promise_workdays",
    "decide_workdays",
    "description",
    "rule",
)


class ProductVersion(TimeStampedModel):
    """A new version of a product's terms and admission criteria, valid from `valid_from` to
    `valid_to` (inclusive; open when empty). The institution submits it; the park's office
    publishes it or returns it with its comments. Published versions of one product never
    overlap: an earlier one still running ends the day before; on its first day the version's
    terms replace the product's."""

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="versions", verbose_name=_("金融产品")
    )
    number = models.PositiveIntegerField(_("版本号"))
    state = models.CharField(
        _("状态"), max_length=20, choices=VersionState.choices, default=VersionState.SUBMITTED
    )
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    min_amount_fen = models.BigIntegerField(_("最低额度（分）"))
    max_amount_fen = models.BigIntegerField(_("最高额度（分）"))
    min_rate = models.DecimalField(_("最低年利率（%）"), max_digits=5, decimal_places=2)
    max_rate = models.DecimalField(_("最高年利率（%）"), max_digits=5, decimal_places=2)
    min_term_months = models.PositiveIntegerField(_("最短期限（月）"))
    max_term_months = models.PositiveIntegerField(_("最长期限（月）"))
    collateral = models.CharField(_("担保方式"), max_length=200, blank=True)
    promise_workdays = models.PositiveIntegerField(_("承诺受理时限（工作日）"), default=5)
    decide_workdays = models.PositiveIntegerField(_("承诺审批时限（工作日）"), default=15)
    description = models.TextField(_("产品介绍"), blank=True)
    rule = models.JSONField(_("准入条件"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("产品版本")
        verbose_name_plural = _("产品版本")
        ordering = ["product", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="finance_product_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="finance_product_version_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.code} v{self.number}"


class Application(ScopedModel):
    """An enterprise's application for one product, in the enterprise's jurisdiction, with the
    institution copied from the product (the bank's queue is one indexed filter). It runs the
    lifecycle of `workflow.py`; each step's figures (credit granted, the loan disbursed and its
    date, the reason of a refusal) are kept on the row, who took it and when in its events."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="applications", verbose_name=_("金融产品")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="applications", verbose_name=_("金融机构")
    )
    amount_fen = models.BigIntegerField(_("申请金额（分）"))
    term_months = models.PositiveIntegerField(_("申请期限（月）"))
    purpose = models.CharField(_("资金用途"), max_length=200)
    consent = models.BooleanField(_("同意向该机构共享企业数据"), default=False)
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=ApplicationState.choices,
        default=ApplicationState.SUBMITTED,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("申请时间"))
    accept_due = models.DateField(_("受理期限"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    # Set on acceptance: the product's promised working days to a decision (授信 or not).
    decide_due = models.DateField(_("审批期限"), null=True, blank=True)
    investigated_at = models.DateTimeField(_("尽职调查开始时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    granted_fen = models.BigIntegerField(_("授信金额（分）"), null=True, blank=True)
    reason = models.TextField(_("未通过原因"), blank=True)
    # The sum of the tranches paid out (`Tranche`) and the day of the first, kept by the action.
    disbursed_fen = models.BigIntegerField(_("放款金额（分）"), null=True, blank=True)
    disbursed_on = models.DateField(_("放款日期"), null=True, blank=True)
    demand = models.ForeignKey(
        "demands.Demand",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转办诉求"),
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
        verbose_name = _("融资申请")
        verbose_name_plural = _("融资申请")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["institution", "state"], name="finance_app_queue")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="finance_application_amount_positive"),
            models.CheckConstraint(condition=Q(consent=True), name="finance_application_consented"),
            # A refusal says why; a loan is never above the credit granted.
            models.CheckConstraint(
                condition=~Q(state=ApplicationState.DECLINED) | ~Q(reason=""),
                name="finance_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(disbursed_fen__isnull=True) | Q(disbursed_fen__lte=F("granted_fen")),
                name="finance_disbursed_within_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.product}"

    def get_absolute_url(self) -> str:
        return reverse("finance:application", args=[self.pk])

    @property
    def amount_yuan(self) -> Decimal:
        return Decimal(self.amount_fen) / 100

    @property
    def due(self) -> dt.date | None:
        """The deadline of the step the institution owes now: acceptance while submitted, the
        decision once accepted (none before acceptance set it, none once decided)."""
        if self.state == ApplicationState.SUBMITTED:
            return self.accept_due
        if self.state in DECIDING_STATES:
            return self.decide_due
        return None


class ApplicationEvent(WorkflowEvent):
    """One step of an application's history (append-only)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="events", verbose_name=_("融资申请")
    )
    # The kit's columns, narrowed to this lifecycle's states so pages and the API show labels.
    from_state = models.CharField(_("原状态"), max_length=20, choices=ApplicationState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ApplicationState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("融资申请记录")
        verbose_name_plural = _("融资申请记录")


def materials_path(instance: ApplicationMaterial, filename: str) -> str:
    return stored_name("finance", filename, instance.at)


class ApplicationMaterial(UploadedDocument):
    """A document an enterprise hands in with its financing application (申请材料: statements,
    contracts, the pledged goods' papers), checked for type, content and size when stored
    (`lianqi.core.uploads`); the institution the application was made to may open it."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="materials", verbose_name=_("融资申请")
    )
    file = models.FileField(_("文件"), upload_to=materials_path, max_length=200)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.name


class Tranche(TimeStampedModel):
    """One payment of a loan (一笔放款): its amount in fen and its day. An application's tranches
    never add up to more than the credit granted; their sum is the application's
    `disbursed_fen`."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("融资申请")
    )
    number = models.PositiveIntegerField(_("笔次"))
    amount_fen = models.BigIntegerField(_("放款金额（分）"))
    disbursed_on = models.DateField(_("放款日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )

    class Meta:
        verbose_name = _("放款记录")
        verbose_name_plural = _("放款记录")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="finance_tranche_unique"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="finance_tranche_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application} #{self.number}"


class MatchingEvent(ScopedModel):
    """A bank–enterprise matching event (银企对接会) of a jurisdiction: when and where, the
    institutions that came, and the agreements signed there, followed up to actual loans."""

    title = models.CharField(_("活动名称"), max_length=200)
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    institutions = models.ManyToManyField(Institution, related_name="events", verbose_name=_("参会机构"))

    class Meta:
        verbose_name = _("银企对接会")
        verbose_name_plural = _("银企对接会")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("finance:event", args=[self.pk])


class Agreement(TimeStampedModel):
    """An agreement signed at a matching event: an enterprise, an institution of the event, the
    amount (fen) and the kind of financing. Whether it became a loan is read from the
    applications the enterprise made to that institution since the event."""

    event = models.ForeignKey(
        MatchingEvent, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("银企对接会")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("金融机构")
    )
    amount_fen = models.BigIntegerField(_("签约金额（分）"))
    kind = models.CharField(_("融资类型"), max_length=20, choices=ProductKind.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    class Meta:
        verbose_name = _("签约项目")
        verbose_name_plural = _("签约项目")
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="finance_agreement_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.institution}"


class EventInvitation(TimeStampedModel):
    """An enterprise invited to a matching event, and why: its register data meets the event's
    invitation rule (e.g. on a pilot's whitelist), or it raised a financing-difficulty demand
    in the months before. One per enterprise and event; its account users are told in the app."""

    event = models.ForeignKey(
        MatchingEvent, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("对接活动")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    reason = models.CharField(_("邀请原因"), max_length=200)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("邀请人")
    )

    class Meta:
        verbose_name = _("对接活动邀请")
        verbose_name_plural = _("对接活动邀请")
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "enterprise"], name="finance_event_invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.enterprise}"


class Attendance(TimeStampedModel):
    """An enterprise that came to a matching event (参会企业), recorded by the office: the
    event's figures set the firms that signed against those that came."""

    event = models.ForeignKey(
        MatchingEvent, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("对接活动")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    class Meta:
        verbose_name = _("参会企业")
        verbose_name_plural = _("参会企业")
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "enterprise"], name="finance_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.enterprise}"


class Pilot(ScopedModel):
    """A financing pilot of a jurisdiction (动产质押融资试点): the guarantee company that leads it,
    the banks that take part, its dedicated product, and a whitelist of eligible enterprises —
    a saved rule (`WhitelistVersion`, versioned) plus manual additions and removals
    (`WhitelistChange`), each with its reason and who made it."""

    name = models.CharField(_("试点名称"), max_length=200)
    # What rules name the pilot by: a product's admission rule may ask that an enterprise be
    # on the whitelist of the pilot with this code (the `finance_whitelists` attribute).
    code = models.CharField(_("试点编号"), max_length=40, unique=True)
    guarantor = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="led_pilots", verbose_name=_("牵头担保机构")
    )
    banks = models.ManyToManyField(Institution, related_name="pilots", verbose_name=_("试点银行"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("专属产品")
    )

    class Meta:
        verbose_name = _("融资试点")
        verbose_name_plural = _("融资试点")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("finance:pilot", args=[self.pk])


class WhitelistVersion(TimeStampedModel):
    """One version of a pilot's whitelist rule (rule file data with one rule): saving a new rule
    makes a new version; the latest one is in force, the earlier ones stay as they were."""

    pilot = models.ForeignKey(
        Pilot, on_delete=models.PROTECT, related_name="versions", verbose_name=_("融资试点")
    )
    number = models.PositiveIntegerField(_("版本号"))
    rule = models.JSONField(_("白名单规则"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("保存人")
    )

    class Meta:
        verbose_name = _("白名单版本")
        verbose_name_plural = _("白名单版本")
        ordering = ["pilot", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "number"], name="finance_whitelist_version_unique")
        ]


class WhitelistChange(TimeStampedModel):
    """A manual addition to or removal from a pilot's whitelist, with its reason and who made
    it. Rows are only added: an enterprise's latest change is the one that holds."""

    pilot = models.ForeignKey(
        Pilot, on_delete=models.PROTECT, related_name="changes", verbose_name=_("融资试点")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    included = models.BooleanField(_("纳入白名单"))
    reason = models.CharField(_("理由"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )

    class Meta:
        verbose_name = _("白名单调整")
        verbose_name_plural = _("白名单调整")
        ordering = ["pilot", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="finance_whitelist_change_has_reason")
        ]


class FigureCell(models.Model):
    """The additive finance figures of one jurisdiction on one day, in total or for one value of
    a dimension (`key`: an institution's id, a product kind, an industry section, an enterprise
    kind, a state, or "<step>:<working days>"). Each count is taken on the day its event
    happened: applications on the day submitted (by their state now), decisions on the day
    decided, loans on the day each tranche was paid, enterprises served on the day of their
    first loan of that year (so a year's cells add up to the distinct enterprises lent to).
    Derived data: `cells.refresh` rewrites a day's cells from the applications, so a year's
    figures add up a few thousand cells instead of reading half a million applications."""

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", on_delete=models.CASCADE, related_name="+", verbose_name=_("辖区")
    )
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, editable=False)
    day = models.DateField(_("日期"))
    dimension = models.CharField(_("统计维度"), max_length=16, choices=FigureDimension.choices)
    key = models.CharField(_("维度取值"), max_length=40, blank=True)
    applications = models.PositiveIntegerField(default=0)
    granted = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    granted_fen = models.BigIntegerField(default=0)
    disbursed_fen = models.BigIntegerField(default=0)
    tranches = models.PositiveIntegerField(default=0)
    served = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("融资统计日汇总")
        verbose_name_plural = _("融资统计日汇总")
        indexes = [
            models.Index(fields=["dimension", "day", "jurisdiction_path"], name="finance_figure_cell_idx"),
            models.Index(fields=["jurisdiction", "day"], name="finance_figure_cell_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction_path} {self.day} {self.dimension}:{self.key}"


class FigureStaleDay(models.Model):
    """A mark that one jurisdiction's finance figure cells of one day are out of date: every
    application step writes one for each day it touches, in its own transaction; `cells.refresh`
    recomputes the marked days and deletes the marks it read."""

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", on_delete=models.CASCADE, related_name="+", verbose_name=_("辖区")
    )
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, editable=False)
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("待更新的融资统计日")
        verbose_name_plural = _("待更新的融资统计日")
        indexes = [models.Index(fields=["day", "jurisdiction_path"], name="finance_figure_stale_idx")]

    def __str__(self) -> str:
        return f"{self.jurisdiction_path} {self.day}"
