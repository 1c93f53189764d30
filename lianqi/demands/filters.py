"""One FilterSet for every demand list (the register, the department inbox, the office board,
legacy problems) and their Excel exports, so a filter means the same thing on each page and in
its file. A filter with a bad value is dropped with a message by the view, never a 500. The
deadline conditions (overdue, due soon) are written here once, for the filter, the lists' tabs
and `queries`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import django_filters
from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import F, Func, Q, QuerySet, TextField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core import calendar_store, workdays
from lianqi.core.search import apply_search, search_terms
from lianqi.core.workdays import SHANGHAI, shanghai_date

from .choices import CLOCK_STATES, OPEN_STATES, Channel, DemandState
from .models import Category, Demand

# Bounded so that a mangled link is a form error, not a database overflow.
_ID_BOUNDS: dict[str, Any] = {"min_value": 1, "max_value": 2**63 - 1, "decimal_places": 0}


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of a Shanghai calendar day: a date range on `received_at` means
    the park's days, whatever the server's zone."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


def overdue_condition(*, at: dt.datetime, states: Sequence[str] = CLOCK_STATES) -> Q:
    """Overdue, as a condition: a department still owes a reply and its deadline (the end of
    `due_on`, Shanghai time) has passed at `at`."""
    return Q(state__in=states, due_on__lt=shanghai_date(at))


def due_soon_condition(*, at: dt.datetime, states: Sequence[str] = CLOCK_STATES) -> Q:
    """Due soon, as a condition: still owed a reply and due today or on the next working day
    (from one working day before the deadline until it passes)."""
    today = shanghai_date(at)
    horizon = workdays.next_workday(today, calendar_store.get_calendar()).day
    return Q(state__in=states, due_on__gte=today, due_on__lte=horizon)


class DemandFilter(django_filters.FilterSet):
    """Search and filters of the demand lists. `at` is the moment "overdue" is judged at."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=DemandState.choices, empty_label=_("全部"))
    category = django_filters.ModelChoiceFilter(
        label=_("诉求类别"), queryset=Category.objects.all(), empty_label=_("全部")
    )
    department = django_filters.NumberFilter(
        label=_("牵头部门"), field_name="lead_department_id", **_ID_BOUNDS
    )
    channel = django_filters.ChoiceFilter(label=_("来源渠道"), choices=Channel.choices, empty_label=_("全部"))
    liaison = django_filters.NumberFilter(label=_("联企干部"), field_name="liaison_id", **_ID_BOUNDS)
    received_from = django_filters.DateFilter(label=_("受理日期自"), method="filter_received_from")
    received_to = django_filters.DateFilter(label=_("受理日期至"), method="filter_received_to")
    overdue = django_filters.BooleanFilter(
        label=_("仅看超期"), method="filter_overdue", widget=django_filters.widgets.BooleanWidget()
    )
    legacy = django_filters.BooleanFilter(
        label=_("仅看遗留问题"), method="filter_legacy", widget=django_filters.widgets.BooleanWidget()
    )
    supervised = django_filters.BooleanFilter(
        label=_("仅看督办"), method="filter_supervised", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = Demand
        fields: list[str] = []

    def __init__(
        self,
        data: Any = None,
        queryset: Any = None,
        *,
        at: dt.datetime | None = None,
        bigrams: bool = True,
        **kw: Any,
    ):
        super().__init__(data, queryset=queryset, **kw)
        self.at = at or timezone.now()
        # False for rows already narrowed to a short list of ids: the bigram index's selectivity
        # estimate is far too low, and it would tempt the planner away from the ids.
        self.bigrams = bigrams

    def filter_search(self, queryset: QuerySet[Demand], name: str, value: str) -> QuerySet[Demand]:
        value = value.replace("\x00", "")
        queryset = apply_search(queryset, value)
        if self.bigrams and connections[queryset.db].vendor == "postgresql":
            # As on the enterprise list: a two-character word (most Chinese words) has no
            # trigram, so only a GIN index over the text's character bigrams (the
            # `lianqi_bigrams` function of enterprises/0003) can serve it. The condition is
            # implied by the LIKE above, so results are unchanged with or without the index.
            grams = sorted({term for term in search_terms(value) if len(term) == 2})
            if grams:
                queryset = queryset.alias(
                    search_bigrams=Func(
                        F("search_text"), function="lianqi_bigrams", output_field=ArrayField(TextField())
                    )
                ).filter(search_bigrams__contains=grams)  # type: ignore[misc]
        return queryset

    def filter_received_from(self, queryset: QuerySet[Demand], name: str, value: dt.date) -> QuerySet[Demand]:
        return queryset.filter(received_at__gte=start_of_day(value))

    def filter_received_to(self, queryset: QuerySet[Demand], name: str, value: dt.date) -> QuerySet[Demand]:
        # Inclusive of the whole last day.
        return queryset.filter(received_at__lt=start_of_day(value + dt.timedelta(days=1)))

    def filter_overdue(self, queryset: QuerySet[Demand], name: str, value: bool | None) -> QuerySet[Demand]:
        return queryset.filter(overdue_condition(at=self.at)) if value else queryset

    def filter_legacy(self, queryset: QuerySet[Demand], name: str, value: bool | None) -> QuerySet[Demand]:
        return queryset.filter(is_legacy=True) if value else queryset

    def filter_supervised(
        self, queryset: QuerySet[Demand], name: str, value: bool | None
    ) -> QuerySet[Demand]:
        # Supervision that still matters: on an open demand.
        if not value:
            return queryset
        return queryset.filter(supervised_at__isnull=False, state__in=OPEN_STATES)
