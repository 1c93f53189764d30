"""One FilterSet per list for the page and the API, so a filter means the same on both. On the
page a bad value is dropped (the form shows why); the API answers it with a 400."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.api.filters import IdFilter
from lianqi.core.forms import StyledForm

from .choices import ApplicationState, ProductKind
from .models import Application, Product


class ProductFilter(django_filters.FilterSet):
    """The shelf: words in the name or the institution's, the kind, an amount the product
    lends (元), a highest acceptable rate, a term it offers."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("产品类型"), choices=ProductKind.choices, empty_label=_("全部")
    )
    amount = django_filters.NumberFilter(label=_("需要金额（元）"), method="lends", min_value=Decimal("0.01"))
    rate = django_filters.NumberFilter(
        label=_("可接受最高年利率（%）"), method="rate_at_most", min_value=Decimal(0)
    )
    term = django_filters.NumberFilter(label=_("期限（月）"), method="offers_term", min_value=Decimal(1))
    institution = IdFilter(label=_("金融机构"), field_name="institution_id")

    class Meta:
        model = Product
        fields: list[str] = []
        form = StyledForm

    def search(self, queryset: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        return queryset.filter(Q(name__icontains=value) | Q(institution__name__icontains=value))

    def lends(self, queryset: QuerySet[Product], name: str, value: Decimal) -> QuerySet[Product]:
        fen = int(value * 100)
        return queryset.filter(min_amount_fen__lte=fen, max_amount_fen__gte=fen)

    def rate_at_most(self, queryset: QuerySet[Product], name: str, value: Decimal) -> QuerySet[Product]:
        return queryset.filter(min_rate__lte=value)

    def offers_term(self, queryset: QuerySet[Product], name: str, value: Decimal) -> QuerySet[Product]:
        return queryset.filter(min_term_months__lte=value, max_term_months__gte=value)


class ApplicationFilter(django_filters.FilterSet):
    """The applications: words in the enterprise's or the product's name, the state, one
    institution, one product, one enterprise."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=ApplicationState.choices, empty_label=_("全部")
    )
    institution = IdFilter(label=_("金融机构"), field_name="institution_id")
    product = IdFilter(label=_("金融产品"), field_name="product_id")
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")

    class Meta:
        model = Application
        fields: list[str] = []
        form = StyledForm

    def search(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(product__name__icontains=value))
