"""List filters of the organisation (django-filter), which the API's lists use: a filter
written once serves every list that offers it."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.api.filters import IdFilter

from .choices import JurisdictionLevel, StaffTier
from .models import Department, Jurisdiction, Staff
from .permissions import staff_phones


def _within(queryset: QuerySet[Any], code: str, field: str = "jurisdiction_path") -> QuerySet[Any]:
    # A code anywhere in the path, so a township filter keeps its villages.
    return queryset.filter(**{f"{field}__contains": f"{code.strip()}/"})


class JurisdictionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("层级"), choices=JurisdictionLevel.choices)
    parent = django_filters.CharFilter(label=_("上级辖区代码"), field_name="parent__code")
    within = django_filters.CharFilter(label=_("所在辖区代码（含下级）"), method="filter_within")
    q = django_filters.CharFilter(label=_("名称包含"), method="filter_q")

    class Meta:
        model = Jurisdiction
        fields: list[str] = []

    def filter_within(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _within(queryset, value, field="path")

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class DepartmentFilter(django_filters.FilterSet):
    jurisdiction = django_filters.CharFilter(label=_("辖区代码（含下级）"), method="filter_jurisdiction")
    is_active = django_filters.BooleanFilter(label=_("启用"))
    q = django_filters.CharFilter(label=_("名称包含"), method="filter_q")

    class Meta:
        model = Department
        fields: list[str] = []

    def filter_jurisdiction(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _within(queryset, value)

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class StaffFilter(django_filters.FilterSet):
    department = IdFilter(label=_("部门"), field_name="department_id")
    tier = django_filters.ChoiceFilter(label=_("层级"), choices=StaffTier.choices)
    is_active = django_filters.BooleanFilter(label=_("在岗"))
    jurisdiction = django_filters.CharFilter(label=_("辖区代码（含下级）"), method="filter_jurisdiction")
    q = django_filters.CharFilter(label=_("姓名、职务或手机号包含"), method="filter_q")

    class Meta:
        model = Staff
        fields: list[str] = []

    def filter_jurisdiction(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _within(queryset, value)

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        matches = Q(name__icontains=value) | Q(position__icontains=value)
        # Digits would find masked numbers one guess at a time (`org.queries.staff_list`).
        if staff_phones(getattr(self.request, "user", None)).whole:
            matches |= Q(phone__contains=value)
        return queryset.filter(matches)
