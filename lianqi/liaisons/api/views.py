"""The liaison history (联企干部变更) as an endpoint, scoped like the enterprises it concerns.
Assigning a liaison is an action on the enterprise: POST /api/v1/enterprises/{id}/assign-liaison/."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins

from lianqi.core.api.filters import IdFilter, StrictOrderingFilter
from lianqi.core.api.views import ScopedViewSet
from lianqi.core.roles import STAFF_ROLES
from lianqi.liaisons.choices import AssignmentMethod
from lianqi.liaisons.models import LiaisonChange
from lianqi.liaisons.permissions import visible

from .serializers import LiaisonChangeSerializer


class LiaisonChangeFilter(django_filters.FilterSet):
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")
    staff = IdFilter(label=_("干部（原任或新任）"), method="filter_staff")
    method = django_filters.ChoiceFilter(label=_("方式"), choices=AssignmentMethod.choices)

    class Meta:
        model = LiaisonChange
        fields: list[str] = []

    def filter_staff(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(Q(from_staff_id=value) | Q(to_staff_id=value))


class LiaisonChangeViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Every change of liaison in the caller's jurisdictions, newest first."""

    serializer_class = LiaisonChangeSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = LiaisonChangeFilter
    ordering_fields = ["at"]
    read_roles = STAFF_ROLES

    def get_queryset(self) -> QuerySet[LiaisonChange]:
        return (
            visible(self.request.user)
            .select_related("enterprise", "from_staff", "to_staff", "actor")
            .order_by("-at", "-pk")
        )
