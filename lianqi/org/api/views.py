"""Endpoints for the jurisdiction tree, departments and staff: the same roles, the same reads
(`lianqi.org.queries`) and the same loaders (`lianqi.org.permissions.access_*`) as the
organisation pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins

from lianqi.core.api.filters import IdFilter, StrictOrderingFilter
from lianqi.core.api.views import ScopedViewSet
from lianqi.org.choices import JurisdictionLevel, StaffTier
from lianqi.org.models import Department, Jurisdiction, Staff
from lianqi.org.permissions import (
    READ_ROLES,
    access_department,
    access_jurisdiction_by_code,
    access_staff,
)
from lianqi.org.queries import department_list, jurisdiction_list, staff_enterprise_count, staff_list

from .serializers import DepartmentSerializer, JurisdictionSerializer, StaffSerializer


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


class JurisdictionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The caller's jurisdiction and everything below it (辖区)."""

    serializer_class = JurisdictionSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = JurisdictionFilter
    ordering_fields = ["code", "name", "path", "depth"]
    lookup_field = "code"
    # Division codes are letters and digits; anything else never reaches the database.
    lookup_value_regex = r"[0-9A-Za-z]+"
    read_roles = READ_ROLES

    def get_queryset(self) -> QuerySet[Jurisdiction]:
        return jurisdiction_list(self.request.user)

    def get_object(self) -> Jurisdiction:
        jurisdiction = access_jurisdiction_by_code(self.request.user, self.kwargs["code"])
        self.check_object_permissions(self.request, jurisdiction)
        return jurisdiction


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


class DepartmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Departments (部门) of the caller's jurisdictions."""

    serializer_class = DepartmentSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = DepartmentFilter
    ordering_fields = ["name", "order"]
    read_roles = READ_ROLES

    def get_queryset(self) -> QuerySet[Department]:
        return department_list(self.request.user)

    def get_object(self) -> Department:
        department = access_department(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, department)
        return department


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
        return queryset.filter(
            Q(name__icontains=value) | Q(position__icontains=value) | Q(phone__contains=value)
        )


class StaffViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Staff (干部) of the caller's jurisdictions, with how many enterprises each serves."""

    serializer_class = StaffSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = StaffFilter
    ordering_fields = ["name", "tier", "enterprise_count"]
    read_roles = READ_ROLES

    def get_queryset(self) -> QuerySet[Staff]:
        return staff_list(self.request.user)

    def get_object(self) -> Staff:
        staff = access_staff(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, staff)
        # The list annotates the count; the one row loaded here counts it the same way.
        staff.enterprise_count = staff_enterprise_count(staff)  # type: ignore[attr-defined]
        return staff
