"""One FilterSet for the list page and the API's list, so a filter means the same on both. On
the page a bad value is dropped (the form shows why); the API answers it with a 400."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.api.filters import IdFilter
from lianqi.core.forms import StyledForm

from .choices import CreditState
from .models import Credit


class CreditFilter(django_filters.FilterSet):
    """Words in the title or the enterprise's name, the state, one enterprise."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=CreditState.choices, empty_label=_("全部"))
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")

    class Meta:
        model = Credit
        fields: list[str] = []
        form = StyledForm

    def search(self, queryset: QuerySet[Credit], name: str, value: str) -> QuerySet[Credit]:
        return queryset.filter(Q(title__icontains=value) | Q(enterprise__name__icontains=value))
