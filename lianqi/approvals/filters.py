"""One FilterSet for the runs' list page and the API's list, so a filter means the same on both.
On the page a bad value is dropped (the form shows why); the API answers it with a 400."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledForm

from .models import Run


class RunFilter(django_filters.FilterSet):
    """Words in the project's or the owner's name; finished or under way."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    finished = django_filters.BooleanFilter(
        label=_("已全部办结"), field_name="finished_on", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Run
        fields: list[str] = []
        form = StyledForm

    def search(self, queryset: QuerySet[Run], name: str, value: str) -> QuerySet[Run]:
        return queryset.filter(
            Q(project__name__icontains=value)
            | Q(project__owner_name__icontains=value)
            | Q(project__enterprise__name__icontains=value)
        )
