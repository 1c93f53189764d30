"""One FilterSet per list for the pages and the API, so a filter means the same on both. On a
page a bad value is dropped (the form shows why); the API answers it with a 400."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.api.filters import IdFilter
from lianqi.core.forms import StyledForm

from .choices import ListingState, Visibility
from .models import Need, Offer


class OfferFilter(django_filters.FilterSet):
    """Words in the product, keywords or the enterprise's name; the state; one industry
    division or class (by its code's start); one enterprise; who it is shown to."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=ListingState.choices, empty_label=_("全部"))
    industry = django_filters.CharFilter(
        label=_("行业代码"), field_name="industry__code", lookup_expr="startswith"
    )
    visibility = django_filters.ChoiceFilter(
        label=_("公开范围"), choices=Visibility.choices, empty_label=_("全部")
    )
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")

    class Meta:
        model = Offer
        fields: list[str] = []
        form = StyledForm

    def search(self, queryset: QuerySet[Offer], name: str, value: str) -> QuerySet[Offer]:
        return queryset.filter(
            Q(product__icontains=value) | Q(keywords__icontains=value) | Q(enterprise__name__icontains=value)
        )


class NeedFilter(django_filters.FilterSet):
    """Words in the item, keywords or the enterprise's name; the state; one industry; one
    enterprise; who it is shown to."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=ListingState.choices, empty_label=_("全部"))
    industry = django_filters.CharFilter(
        label=_("行业代码"), field_name="industry__code", lookup_expr="startswith"
    )
    visibility = django_filters.ChoiceFilter(
        label=_("公开范围"), choices=Visibility.choices, empty_label=_("全部")
    )
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")

    class Meta:
        model = Need
        fields: list[str] = []
        form = StyledForm

    def search(self, queryset: QuerySet[Need], name: str, value: str) -> QuerySet[Need]:
        return queryset.filter(
            Q(item__icontains=value) | Q(keywords__icontains=value) | Q(enterprise__name__icontains=value)
        )
