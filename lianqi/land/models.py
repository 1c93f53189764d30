"""The land supermarket's data and its invariants: parcels (地块) with their boundary, planning
conditions, price, infrastructure and 标准地 indicators, and the reservations (预订) an enterprise
makes to buy one online. Every write goes through `actions.py`."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel
from lianqi.core.workflow import WorkflowEvent

from .choices import (
    ACTIVE_STATES,
    LandUse,
    ParcelStatus,
    PriceKind,
    ReservationState,
)

#: One mu in square metres, as a Decimal for stored figures.
M2_PER_MU = Decimal("666.67")


class Parcel(ScopedModel):
    """One parcel of a park: where it is (its boundary as a GeoJSON Polygon in WGS84, checked
    and measured by `geometry`), what may be built on it, what it costs, what reaches it and the
    标准地 indicators a project on it must promise. Its `state` runs planned → available →
    reserved → in transaction → sold → built, each step dated."""

    code = models.CharField(_("地块编号"), max_length=40)
    location = models.CharField(_("坐落"), max_length=200)
    zone = models.CharField(_("功能分区"), max_length=60, blank=True)
    barred_industries = models.CharField(
        _("禁止入驻行业"),
        max_length=200,
        blank=True,
        help_text=_("国民经济行业分类代码前缀，空格分隔，如 C25 C26"),
    )
    boundary = models.JSONField(_("边界（GeoJSON）"))
    centre_lon = models.FloatField(_("中心经度"))
    centre_lat = models.FloatField(_("中心纬度"))
    area_m2 = models.DecimalField(_("面积（平方米）"), max_digits=12, decimal_places=2)
    area_mu = models.DecimalField(_("面积（亩）"), max_digits=10, decimal_places=2)
    land_use = models.CharField(_("用地性质"), max_length=4, choices=LandUse.choices, db_index=True)
    plot_ratio_min = models.DecimalField(
        _("容积率下限"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    plot_ratio_max = models.DecimalField(
        _("容积率上限"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    building_density_max = models.DecimalField(
        _("建筑密度上限（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    height_limit_m = models.DecimalField(
        _("限高（米）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    price_kind = models.CharField(
        _("价格类型"), max_length=10, choices=PriceKind.choices, default=PriceKind.RESERVE
    )
    price = models.DecimalField(_("价格（元）"), max_digits=14, decimal_places=2)
    power_kva = models.PositiveIntegerField(_("供电容量（千伏安）"), null=True, blank=True)
    water_tpd = models.PositiveIntegerField(_("供水能力（吨/日）"), null=True, blank=True)
    gas = models.BooleanField(_("通天然气"), default=False)
    sewage = models.BooleanField(_("通污水管网"), default=False)
    road = models.CharField(_("道路"), max_length=100, blank=True)
    investment_per_mu_min = models.DecimalField(
        _("亩均投资强度下限（万元/亩）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    tax_per_mu_min = models.DecimalField(
        _("亩均税收下限（万元/亩·年）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    energy_per_output_max = models.DecimalField(
        _("单位产出能耗上限（吨标煤/万元）"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    emissions_max = models.DecimalField(
        _("主要污染物排放上限（吨/年）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("说明"), blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=ParcelStatus.choices, default=ParcelStatus.PLANNED, db_index=True
    )
    planned_on = models.DateField(_("规划日期"), null=True, blank=True)
    available_on = models.DateField(_("供地日期"), null=True, blank=True)
    reserved_on = models.DateField(_("预订日期"), null=True, blank=True)
    transaction_on = models.DateField(_("挂牌日期"), null=True, blank=True)
    sold_on = models.DateField(_("出让日期"), null=True, blank=True)
    built_on = models.DateField(_("建成日期"), null=True, blank=True)
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
        verbose_name = _("地块")
        verbose_name_plural = _("地块")
        ordering = ["code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "code"], name="land_parcel_code_unique"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="land_parcel_area_positive"),
            models.CheckConstraint(condition=Q(price__gte=0), name="land_parcel_price_not_negative"),
            models.CheckConstraint(
                condition=Q(plot_ratio_min__isnull=True)
                | Q(plot_ratio_max__isnull=True)
                | Q(plot_ratio_min__lte=models.F("plot_ratio_max")),
                name="land_parcel_plot_ratio_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.location}"

    def get_absolute_url(self) -> str:
        return reverse("land:parcel", args=[self.pk])

    @property
    def barred(self) -> tuple[str, ...]:
        return tuple(self.barred_industries.split())

    @property
    def price_per_mu(self) -> Decimal | None:
        if not self.area_mu:
            return None
        return (self.price / self.area_mu).quantize(Decimal("0.01"))


class ParcelEvent(WorkflowEvent):
    """One step of a parcel's history (`WorkflowEvent`): its own steps and those its
    reservations caused. Rows are never edited or deleted."""

    parcel = models.ForeignKey(
        Parcel, on_delete=models.PROTECT, related_name="events", verbose_name=_("地块")
    )
    from_state = models.CharField(_("原状态"), max_length=20, choices=ParcelStatus.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ParcelStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("地块记录")
        verbose_name_plural = _("地块记录")

    def __str__(self) -> str:
        return f"{self.parcel_id}: {self.action} {self.from_state} → {self.to_state}"


class Reservation(ScopedModel):
    """An enterprise's reservation of one parcel for its project, with the project's key
    figures; held for a number of working days (`expires_on`) until the office lists the parcel
    (挂牌), then dealt (price, contract) and handed over. A parcel has at most one active
    reservation: the database refuses a second (`land_one_active_reservation_per_parcel`)."""

    parcel = models.ForeignKey(
        Parcel, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("地块")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    project_name = models.CharField(_("项目名称"), max_length=200)
    industry_code = models.CharField(_("项目行业代码"), max_length=10)
    total_investment = models.DecimalField(_("项目总投资（元）"), max_digits=16, decimal_places=2)
    investment_per_mu = models.DecimalField(_("承诺亩均投资（万元/亩）"), max_digits=10, decimal_places=2)
    tax_per_mu = models.DecimalField(_("承诺亩均税收（万元/亩·年）"), max_digits=10, decimal_places=2)
    energy_per_output = models.DecimalField(
        _("单位产出能耗（吨标煤/万元）"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    emissions_tpa = models.DecimalField(
        _("主要污染物排放（吨/年）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=ReservationState.choices,
        default=ReservationState.REQUESTED,
        db_index=True,
    )
    reserved_on = models.DateField(_("预订日期"))
    expires_on = models.DateField(_("预留截止日"), db_index=True)
    approved_on = models.DateField(_("确认日期"), null=True, blank=True)
    listing_starts = models.DateField(_("挂牌起始日"), null=True, blank=True)
    listing_ends = models.DateField(_("挂牌截止日"), null=True, blank=True)
    deal_price = models.DecimalField(
        _("成交价（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    contract_no = models.CharField(_("出让合同编号"), max_length=60, blank=True)
    dealt_on = models.DateField(_("成交日期"), null=True, blank=True)
    handed_over_on = models.DateField(_("交地日期"), null=True, blank=True)
    closed_note = models.TextField(_("释放原因"), blank=True)
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
        verbose_name = _("用地预订")
        verbose_name_plural = _("用地预订")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["parcel"],
                condition=Q(state__in=ACTIVE_STATES),
                name="land_one_active_reservation_per_parcel",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=(ReservationState.DEALT, ReservationState.HANDED_OVER))
                | (Q(deal_price__isnull=False) & ~Q(contract_no="")),
                name="land_deal_has_price_and_contract",
            ),
            models.CheckConstraint(
                condition=Q(listing_starts__isnull=True)
                | Q(listing_ends__isnull=True)
                | Q(listing_starts__lte=models.F("listing_ends")),
                name="land_listing_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parcel} · {self.project_name}"

    def get_absolute_url(self) -> str:
        return reverse("land:reservation", args=[self.pk])


class ReservationEvent(WorkflowEvent):
    """One step of a reservation's history. Rows are never edited or deleted."""

    reservation = models.ForeignKey(
        Reservation, on_delete=models.PROTECT, related_name="events", verbose_name=_("用地预订")
    )
    from_state = models.CharField(_("原状态"), max_length=20, choices=ReservationState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ReservationState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("预订办理记录")
        verbose_name_plural = _("预订办理记录")

    def __str__(self) -> str:
        return f"{self.reservation_id}: {self.action} {self.from_state} → {self.to_state}"
