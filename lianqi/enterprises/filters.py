"""One FilterSet for the enterprise list page, its Excel export and the API, so the three
always agree on what a filter means. Unknown parameters are refused by the API (see
`lianqi.api`), and ignored-with-a-message on pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import F, Func, QuerySet, TextField
from django.utils.translation import gettext_lazy as _

from lianqi.core.search import apply_search, search_terms

from .choices import EnterpriseKind, EnterpriseStatus
from .models import Enterprise, Tag
from .permissions import tags_visible


def _vendor(queryset: QuerySet[Enterprise]) -> str:
    return connections[queryset.db].vendor


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


class AnyYesNoWidget(django_filters.widgets.BooleanWidget):
    """A yes/no filter whose empty choice reads "all" rather than django-filter's "unknown"."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("", _("全部")), ("true", _("是")), ("false", _("否"))]


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    kind = django_filters.ChoiceFilter(
        label=_("主体类型"), choices=EnterpriseKind.choices, empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=EnterpriseStatus.choices, empty_label=_("全部")
    )
    industry = django_filters.CharFilter(label=_("行业代码前缀"), method="filter_industry")
    tag = django_filters.ModelChoiceFilter(
        label=_("标签"), queryset=Tag.objects.none(), method="filter_tag", empty_label=_("全部")
    )
    jurisdiction = django_filters.CharFilter(label=_("辖区代码"), method="filter_jurisdiction")
    # Bounded so that a mangled link is a form error, not a database overflow.
    liaison = django_filters.NumberFilter(
        label=_("联企干部"), field_name="liaison_id", min_value=1, max_value=2**63 - 1, decimal_places=0
    )
    uncovered = django_filters.BooleanFilter(
        label=_("未覆盖"),
        field_name="liaison",
        lookup_expr="isnull",
        widget=AnyYesNoWidget(),
    )
    sort = django_filters.ChoiceFilter(
        label=_("排序"), choices=[(k, k) for k in SORTS], method="filter_sort", empty_label=None
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is None and self.request is not None:
            user = self.request.user
        # Only the tags the user sees: another park's tag is "not a valid choice", as if it did
        # not exist, rather than an empty list that confirms it does.
        self.filters["tag"].queryset = tags_visible(user)

    def filter_search(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        queryset = apply_search(queryset, value)
        if queryset.db and _vendor(queryset) == "postgresql":
            # A two-character word (most Chinese words) has no trigram, so the trigram index
            # cannot serve it; the bigram index (migration 0003) can. The condition is implied
            # by the LIKE above, so it changes no result. Longer terms are left to the trigram
            # index, which rechecks more cheaply.
            grams = sorted({term for term in search_terms(value) if len(term) == 2})
            if grams:
                queryset = queryset.alias(
                    search_bigrams=Func(
                        F("search_text"), function="lianqi_bigrams", output_field=ArrayField(TextField())
                    )
                ).filter(search_bigrams__contains=grams)  # type: ignore[misc]
        return queryset

    def filter_industry(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        value = value.strip().upper()
        if value.isalpha():
            return queryset.filter(industry__section=value)
        return queryset.filter(industry__code__startswith=value)

    def filter_tag(self, queryset: QuerySet[Enterprise], name: str, value: Tag) -> QuerySet[Enterprise]:
        # A subquery rather than a join: a join needs DISTINCT over whole rows, which on a large
        # park costs more than the rest of the page.
        tagged = Enterprise.tags.through.objects.filter(tag=value).values("enterprise_id")
        return queryset.filter(pk__in=tagged)

    def filter_jurisdiction(
        self, queryset: QuerySet[Enterprise], name: str, value: str
    ) -> QuerySet[Enterprise]:
        # Matches a code anywhere in the path, so a township filter keeps its villages.
        return queryset.filter(jurisdiction_path__contains=f"{value.strip()}/")

    def filter_sort(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        # The tie-breaker runs in the same direction, so a (field, id) index serves both ways.
        return queryset.order_by(SORTS[value], "-pk" if value.startswith("-") else "pk")

    @property
    def qs(self) -> Any:
        return super().qs
