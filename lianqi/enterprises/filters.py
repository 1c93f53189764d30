"""One FilterSet for the enterprise list page, its Excel export and the API, so the three
always agree on what a filter means. Unknown parameters are refused by the API (see
`lianqi.api`), and ignored-with-a-message on pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.search import apply_search

from .choices import EnterpriseKind, EnterpriseStatus
from .models import Enterprise, Tag

SORTS = {
    "name": "name",
    "-name": "-name",
    "founded": "founded_on",
    "-founded": "-founded_on",
    "capital": "registered_capital",
    "-capital": "-registered_capital",
    "employees": "employees",
    "-employees": "-employees",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("主体类型"), choices=EnterpriseKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EnterpriseStatus.choices)
    industry = django_filters.CharFilter(label=_("行业代码前缀"), method="filter_industry")
    tag = django_filters.ModelChoiceFilter(label=_("标签"), queryset=Tag.objects.all(), field_name="tags")
    jurisdiction = django_filters.CharFilter(label=_("辖区代码"), method="filter_jurisdiction")
    liaison = django_filters.NumberFilter(label=_("联企干部"), field_name="liaison_id")
    uncovered = django_filters.BooleanFilter(label=_("未覆盖"), field_name="liaison", lookup_expr="isnull")
    sort = django_filters.ChoiceFilter(
        label=_("排序"), choices=[(k, k) for k in SORTS], method="filter_sort", empty_label=None
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return apply_search(queryset, value)

    def filter_industry(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        value = value.strip().upper()
        if value.isalpha():
            return queryset.filter(industry__section=value)
        return queryset.filter(industry_id__startswith=value)

    def filter_jurisdiction(
        self, queryset: QuerySet[Enterprise], name: str, value: str
    ) -> QuerySet[Enterprise]:
        # Matches a code anywhere in the path, so a township filter keeps its villages.
        return queryset.filter(jurisdiction_path__contains=f"{value.strip()}/")

    def filter_sort(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queryset.order_by(SORTS[value], "pk")

    @property
    def qs(self) -> Any:
        return super().qs
