"""Endpoints for the jurisdiction tree, departments and staff: the same roles, the same reads
(`lianqi.org.queries`) and the same loaders (`lianqi.org.permissions.access_*`) as the
organisation pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins

from lianqi.core.api.filters import StrictOrderingFilter
from lianqi.core.api.views import ScopedViewSet
from lianqi.org.filters import DepartmentFilter, JurisdictionFilter, StaffFilter
from lianqi.org.models import Department, Jurisdiction, Staff
from lianqi.org.permissions import (
    READ_ROLES,
    access_department,
    access_jurisdiction_by_code,
    access_staff,
)
from lianqi.org.queries import department_list, jurisdiction_list, staff_enterprise_count, staff_list

from .serializers import DepartmentSerializer, JurisdictionSerializer, StaffSerializer


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
