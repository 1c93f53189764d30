"""One FilterSet per list for the pages and the API, so a filter means the same on both. On a
page a bad value is dropped (the form shows why); the API answers it with a 400."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.api.filters import IdFilter
from lianqi.core.forms import StyledForm

from .choices import LandUse, ParcelStatus, ReservationState
from .models import Parcel, Reservation


class ParcelFilter(django_filters.FilterSet):
    """Words in the code, location or zone; the status; the use; the zone; the area in mu;
    the price in 万元; the power the parcel can supply."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=ParcelStatus.choices, empty_label=_("全部状态")
    )
    land_use = django_filters.ChoiceFilter(
        label=_("用地性质"), choices=LandUse.choices, empty_label=_("全部用途")
    )
    zone = django_filters.CharFilter(label=_("功能分区"), field_name="zone")
    area_min = django_filters.NumberFilter(label=_("最小面积（亩）"), field_name="area_mu", lookup_expr="gte")
    area_max = django_filters.NumberFilter(label=_("最大面积（亩）"), field_name="area_mu", lookup_expr="lte")
    price_max = django_filters.NumberFilter(label=_("最高价格（万元）"), method="price_at_most")
    power_min = django_filters.NumberFilter(
        label=_("最小供电容量（千伏安）"), field_name="power_kva", lookup_expr="gte"
    )

    class Meta:
        model = Parcel
        fields: list[str] = []
        form = StyledForm

    def search(self, queryset: QuerySet[Parcel], name: str, value: str) -> QuerySet[Parcel]:
        return queryset.filter(
            Q(code__icontains=value) | Q(location__icontains=value) | Q(zone__icontains=value)
        )

    def price_at_most(self, queryset: QuerySet[Parcel], name: str, value: Decimal) -> QuerySet[Parcel]:
        return queryset.filter(price__lte=value * 10000)


class ReservationFilter(django_filters.FilterSet):
    """Words in the project, the parcel's code or the enterprise's name; the state; one enterprise."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=ReservationState.choices, empty_label=_("全部")
    )
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")
    parcel = IdFilter(label=_("地块"), field_name="parcel_id")

    class Meta:
        model = Reservation
        fields: list[str] = []
        form = StyledForm

    def search(self, queryset: QuerySet[Reservation], name: str, value: str) -> QuerySet[Reservation]:
        return queryset.filter(
            Q(project_name__icontains=value)
            | Q(parcel__code__icontains=value)
            | Q(enterprise__name__icontains=value)
        )
