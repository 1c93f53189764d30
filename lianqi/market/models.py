"""Supply and demand (供需对接): what enterprises sell (`Offer`) and buy (`Need`), the
introductions of a supplier to a buyer followed to a deal (`Introduction`), and the matching
events (供需对接会) with their participants and deals. Every write goes through `actions.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel, TimeStampedModel
from lianqi.core.workflow import WorkflowEvent

from .choices import (
    ChainRole,
    IntroductionState,
    ListingState,
    ParticipantRole,
    PurchaseSource,
    SupplierPlace,
    SupplierRegion,
    Visibility,
)

#: Amounts in yuan to the fen (docs/decisions/0007-money-to-the-yuan.md): 18 digits, 2 decimals.
MONEY_DIGITS = 18


class Listing(ScopedModel):
    """What an offer and a need share: the enterprise, in its jurisdiction, the industry class
    (GB/T 4754) and keywords the matching reads, who may see it, and the workflow columns
    (state, version, who changed it last and when)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    industry = models.ForeignKey(
        "enterprises.Industry", on_delete=models.PROTECT, related_name="+", verbose_name=_("行业分类")
    )
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    certifications = models.CharField(_("资质认证"), max_length=200, blank=True)
    visibility = models.CharField(
        _("公开范围"), max_length=16, choices=Visibility.choices, default=Visibility.OFFICE
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ListingState.choices, default=ListingState.OPEN, db_index=True
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
        abstract = True

    def certification_set(self) -> frozenset[str]:
        """The certifications as a set of names (typed with commas, 、 or spaces)."""
        return split_names(self.certifications)


def split_names(text: str) -> frozenset[str]:
    """Names typed in one field, separated by commas, 、, semicolons or spaces."""
    for separator in "，、;；,":
        text = text.replace(separator, " ")
    return frozenset(part.strip().upper() for part in text.split() if part.strip())


class Offer(Listing):
    """What an enterprise sells (供应): a product with its class, specification, yearly
    capacity, certifications and price band."""

    product = models.CharField(_("产品"), max_length=200)
    specification = models.TextField(_("规格型号"), blank=True)
    capacity = models.DecimalField(_("年产能"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    price_band = models.CharField(_("价格区间"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("供应")
        verbose_name_plural = _("供应")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["jurisdiction_path", "state"])]

    def __str__(self) -> str:
        return self.product

    def get_absolute_url(self) -> str:
        return reverse("market:offer", args=[self.pk])


class Need(Listing):
    """What an enterprise buys (需求): an item with its class, quantity, budget, the date it is
    wanted by, where its current supplier is, and the date the need stays valid until."""

    item = models.CharField(_("采购品"), max_length=200)
    quantity = models.DecimalField(_("数量"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("计量单位"), max_length=20)
    budget = models.DecimalField(
        _("预算（元）"), null=True, blank=True, max_digits=MONEY_DIGITS, decimal_places=2
    )
    wanted_by = models.DateField(_("需求日期"))
    valid_until = models.DateField(_("有效期至"))
    current_supplier_region = models.CharField(
        _("现供应商所在地"), max_length=16, choices=SupplierRegion.choices, blank=True
    )

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["jurisdiction_path", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="market_need_quantity_positive"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gt=0), name="market_need_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.item

    def get_absolute_url(self) -> str:
        return reverse("market:need", args=[self.pk])


class OfferEvent(WorkflowEvent):
    """One step of an offer's history (recorded, withdrawn). Rows are never edited or deleted."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="events", verbose_name=_("供应"))
    from_state = models.CharField(_("原状态"), max_length=20, choices=ListingState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ListingState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("供应记录")
        verbose_name_plural = _("供应记录")


class NeedEvent(WorkflowEvent):
    """One step of a need's history (recorded, withdrawn). Rows are never edited or deleted."""

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="events", verbose_name=_("需求"))
    from_state = models.CharField(_("原状态"), max_length=20, choices=ListingState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ListingState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("需求记录")
        verbose_name_plural = _("需求记录")


class Introduction(ScopedModel):
    """The park introducing a supplier's offer to a buyer's need (in the need's jurisdiction),
    with the reasons the match gave at the time, followed to a deal (amount, date) or dropped
    with a reason. One introduction under way per need and offer."""

    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, related_name="introductions", verbose_name=_("需求")
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="introductions", verbose_name=_("供应")
    )
    score = models.PositiveSmallIntegerField(_("匹配分"), default=0)
    reasons = models.TextField(_("匹配理由"), blank=True)
    deal_amount = models.DecimalField(
        _("成交金额（元）"), null=True, blank=True, max_digits=MONEY_DIGITS, decimal_places=2
    )
    deal_on = models.DateField(_("成交日期"), null=True, blank=True)
    drop_reason = models.TextField(_("终止原因"), blank=True)
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=IntroductionState.choices,
        default=IntroductionState.INTRODUCED,
        db_index=True,
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
        verbose_name = _("对接")
        verbose_name_plural = _("对接")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The database keeps the rules if code forgets them: a deal says how much and when,
            # a dropped introduction why, and a pair is introduced once while it is under way.
            models.CheckConstraint(
                condition=~Q(state=IntroductionState.DEAL)
                | (Q(deal_amount__gt=0) & Q(deal_on__isnull=False)),
                name="market_deal_has_amount_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(state=IntroductionState.DROPPED) | ~Q(drop_reason=""),
                name="market_dropped_has_reason",
            ),
            models.UniqueConstraint(
                fields=["need", "offer"],
                condition=Q(state=IntroductionState.INTRODUCED),
                name="market_one_open_introduction_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} → {self.need}"

    def get_absolute_url(self) -> str:
        return reverse("market:introduction", args=[self.pk])


class IntroductionEvent(WorkflowEvent):
    """One step of an introduction's history. Rows are never edited or deleted."""

    introduction = models.ForeignKey(
        Introduction, on_delete=models.PROTECT, related_name="events", verbose_name=_("对接")
    )
    from_state = models.CharField(_("原状态"), max_length=20, choices=IntroductionState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=IntroductionState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("对接记录")
        verbose_name_plural = _("对接记录")


class MatchingFair(ScopedModel):
    """A matching event (供需对接会): its date, theme and industry, the enterprises invited as
    buyers or suppliers with their attendance, and the deals signed there."""

    held_on = models.DateField(_("举办日期"), db_index=True)
    theme = models.CharField(_("主题"), max_length=200)
    industry = models.ForeignKey(
        "enterprises.Industry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("行业"),
    )
    chain = models.ForeignKey(
        "Chain",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fairs",
        verbose_name=_("产业链"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("供需对接会")
        verbose_name_plural = _("供需对接会")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.theme

    def get_absolute_url(self) -> str:
        return reverse("market:fair", args=[self.pk])


class FairParticipant(TimeStampedModel):
    """An enterprise invited to a matching event as a buyer or a supplier, and whether it came:
    the record of the invitation too — who invited it, when (`created_at`) and why."""

    fair = models.ForeignKey(
        MatchingFair, on_delete=models.CASCADE, related_name="participants", verbose_name=_("对接会")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    role = models.CharField(_("参会身份"), max_length=16, choices=ParticipantRole.choices)
    attended = models.BooleanField(_("已到会"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("邀请人"),
    )
    reason = models.CharField(_("邀请原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("参会企业")
        verbose_name_plural = _("参会企业")
        constraints = [
            models.UniqueConstraint(fields=["fair", "enterprise", "role"], name="market_participant_once")
        ]


class FairDeal(TimeStampedModel):
    """A deal signed at a matching event: buyer, supplier, what and how much (yuan to the fen)."""

    fair = models.ForeignKey(
        MatchingFair, on_delete=models.PROTECT, related_name="deals", verbose_name=_("对接会")
    )
    buyer = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("采购方")
    )
    supplier = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("供应方")
    )
    subject = models.CharField(_("合作内容"), max_length=200)
    amount = models.DecimalField(_("签约金额（元）"), max_digits=MONEY_DIGITS, decimal_places=2)

    class Meta:
        verbose_name = _("对接会签约")
        verbose_name_plural = _("对接会签约")
        ordering = ["fair", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="market_fair_deal_positive")]


class Purchase(ScopedModel):
    """One year's purchases of an enterprise (the buyer) from one supplier, as the enterprise
    reports them or the office enters them from invoices. The supplier is an enterprise of the
    register, or named with its credit code; where it is registered (`place`) is fixed when the
    purchase is recorded, and a supplier in the buyer's park or city counts as local. Strategic
    means products of a strategic emerging industry; affiliated, a supplier tied to the buyer
    (关联企业), which Shaoshan's subsidy leaves out."""

    buyer = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("采购企业")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    supplier = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("供应商（在册企业）"),
    )
    supplier_name = models.CharField(_("供应商名称"), max_length=200)
    supplier_credit_code = models.CharField(_("供应商统一社会信用代码"), max_length=18, blank=True)
    place = models.CharField(_("供应商所在地"), max_length=16, choices=SupplierPlace.choices)
    is_local = models.BooleanField(_("本地采购"), default=False)
    item = models.CharField(_("采购内容"), max_length=200, blank=True)
    amount = models.DecimalField(_("采购金额（元）"), max_digits=MONEY_DIGITS, decimal_places=2)
    strategic = models.BooleanField(_("战略性新兴产业产品"), default=False)
    affiliated = models.BooleanField(_("关联企业"), default=False)
    source = models.CharField(_("来源"), max_length=16, choices=PurchaseSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    #: Bumped by each correction, so that a page showing an older one cannot overwrite it.
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("采购记录")
        verbose_name_plural = _("采购记录")
        ordering = ["-year", "buyer", "-amount", "pk"]
        indexes = [
            models.Index(fields=["year", "buyer"], name="market_purchase_year_buyer"),
            models.Index(fields=["jurisdiction_path", "year"], name="market_purchase_path_year"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="market_purchase_amount_positive"),
            models.CheckConstraint(
                condition=Q(supplier__isnull=False) | ~Q(supplier_credit_code=""),
                name="market_purchase_supplier_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.supplier_name}"


class Chain(ScopedModel):
    """An industrial chain (产业链) of a city or a park: a tree of nodes with the enterprises
    placed on them, its chain leader (链长) and its party committee (链上党委) with members and
    meetings. `home_park` is the park the chain gathers in (firms there count as in the park,
    the rest of the city as in the city)."""

    name = models.CharField(_("产业链"), max_length=100)
    description = models.TextField(_("简介"), blank=True)
    home_park = models.ForeignKey(
        "org.Jurisdiction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("主要承载园区"),
    )
    leader_name = models.CharField(_("链长"), max_length=50, blank=True)
    leader_title = models.CharField(_("链长职务"), max_length=100, blank=True)
    committee_name = models.CharField(_("链上党委"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:chain", args=[self.pk])


class ChainNode(TimeStampedModel):
    """A node of a chain's tree (整车 → 电驱动 → 电池 → 正负极材料 …)."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("产业链"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级环节"),
    )
    name = models.CharField(_("环节"), max_length=100)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")
        ordering = ["chain", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "parent", "name"], name="market_chain_node_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ChainFirm(TimeStampedModel):
    """An enterprise placed on a chain's node, with its role (链主, 重点, 配套)."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="firms", verbose_name=_("产业链"))
    node = models.ForeignKey(
        ChainNode, on_delete=models.CASCADE, related_name="firms", verbose_name=_("环节")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    role = models.CharField(_("链上角色"), max_length=16, choices=ChainRole.choices)

    class Meta:
        verbose_name = _("链上企业")
        verbose_name_plural = _("链上企业")
        ordering = ["node", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["node", "enterprise"], name="market_chain_firm_once")]


class CommitteeMember(TimeStampedModel):
    """A member of the chain's party committee (链上党委): name, post in the committee, unit."""

    chain = models.ForeignKey(
        Chain, on_delete=models.CASCADE, related_name="members", verbose_name=_("产业链")
    )
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("党委职务"), max_length=50)
    unit = models.CharField(_("单位及职务"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("链上党委成员")
        verbose_name_plural = _("链上党委成员")
        ordering = ["chain", "order", "pk"]


class CommitteeMeeting(TimeStampedModel):
    """A meeting of the chain's party committee: date, subject and what was decided (定期调度)."""

    chain = models.ForeignKey(
        Chain, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("产业链")
    )
    held_on = models.DateField(_("会议日期"))
    subject = models.CharField(_("会议主题"), max_length=200)
    decisions = models.TextField(_("议定事项"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("链上党委会议")
        verbose_name_plural = _("链上党委会议")
        ordering = ["chain", "-held_on", "-pk"]


class PurchaseTotal(models.Model):
    """One enterprise's purchases in one year, added up as they are recorded: in all, from
    local suppliers, and those that count for Shaoshan's subsidy (local, strategic, not
    affiliated). The chain's map and the subsidy read these cells instead of adding up every
    purchase (`actions.purchases.add_to_totals`; `rebuild_purchase_totals` recomputes them)."""

    buyer = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("采购企业")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, db_index=True)
    total = models.DecimalField(_("采购总额（元）"), max_digits=MONEY_DIGITS + 2, decimal_places=2, default=0)
    local = models.DecimalField(
        _("本地采购额（元）"), max_digits=MONEY_DIGITS + 2, decimal_places=2, default=0
    )
    qualifying = models.DecimalField(
        _("本地战略性新兴产业非关联采购额（元）"), max_digits=MONEY_DIGITS + 2, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("年度采购合计")
        verbose_name_plural = _("年度采购合计")
        constraints = [models.UniqueConstraint(fields=["buyer", "year"], name="market_purchase_total_once")]
        indexes = [models.Index(fields=["year", "buyer"], name="market_purchase_total_year")]

    def __str__(self) -> str:
        return f"{self.buyer_id} {self.year}"


class SubsidyGrant(models.Model):
    """Which year's purchases a local-purchase subsidy entry in the policy ledger was computed
    from, and on what sum: when a purchase of that buyer and year is corrected, the entry's
    amount is revised (or the entry withdrawn) from the corrected records."""

    fulfilment = models.OneToOneField(
        "policies.Fulfilment", on_delete=models.CASCADE, related_name="+", verbose_name=_("兑现台账")
    )
    buyer = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("采购企业")
    )
    year = models.PositiveSmallIntegerField(_("采购年度"))
    purchases = models.DecimalField(
        _("计算依据的采购额（元）"), max_digits=MONEY_DIGITS + 2, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("本地采购补贴依据")
        verbose_name_plural = _("本地采购补贴依据")
        indexes = [models.Index(fields=["buyer", "year"], name="market_subsidy_grant_buyer")]

    def __str__(self) -> str:
        return f"{self.buyer_id} {self.year}"
