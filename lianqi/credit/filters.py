"""One FilterSet for the dishonesty records on the API's list (and any page that lists them):
words in the enterprise's name or the authority, the kind, the repair state, one enterprise."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.api.filters import IdFilter
from lianqi.core.forms import StyledForm

from .choices import RecordKind, RepairState
from .models import DishonestyRecord


class RecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = django_filters.ChoiceFilter(label=_("记录类型"), choices=RecordKind.choices, empty_label=_("全部"))
    state = django_filters.ChoiceFilter(
        label=_("修复状态"), choices=RepairState.choices, empty_label=_("全部")
    )
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")

    class Meta:
        model = DishonestyRecord
        fields: list[str] = []
        form = StyledForm

    def search(
        self, queryset: QuerySet[DishonestyRecord], name: str, value: str
    ) -> QuerySet[DishonestyRecord]:
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(authority__icontains=value))
