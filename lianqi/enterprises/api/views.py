"""Endpoints for the enterprise register, industries and tags.

Enterprises are read through `lianqi.enterprises.permissions.visible` and filtered by the same
`EnterpriseFilter` as the list page and the Excel export; every write goes through
`lianqi.enterprises.actions`. A change of liaison is the liaison layout's endpoint
(`lianqi.liaisons.api`), at POST /api/v1/enterprises/{id}/assign-liaison/."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.actors import acting_user
from lianqi.core.api.filters import StrictOrderingFilter
from lianqi.core.api.views import ScopedViewSet
from lianqi.enterprises import actions, permissions, queries
from lianqi.enterprises.choices import IndustryLevel
from lianqi.enterprises.filters import EnterpriseFilter
from lianqi.enterprises.models import Enterprise, Industry, Tag

from .serializers import (
    EnterpriseCreateSerializer,
    EnterpriseSerializer,
    EnterpriseUpdateSerializer,
    IndustrySerializer,
    TagSerializer,
)


def read_enterprise(enterprise: Enterprise, *, context: Mapping[str, Any]) -> dict[str, Any]:
    """An enterprise as the API answers it, read afresh (after a change)."""
    fresh = queries.enterprises_in_full(context["request"].user).get(pk=enterprise.pk)
    return dict(EnterpriseSerializer(fresh, context=context).data)


class EnterpriseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The enterprise register (企业): staff read, the service office writes."""

    serializer_class = EnterpriseSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EnterpriseFilter
    read_roles = permissions.REGISTER_ROLES
    write_roles = permissions.EDIT_ROLES
    http_method_names = ["get", "post", "patch", "head"]

    def get_queryset(self) -> QuerySet[Enterprise]:
        return queries.enterprises_in_full(self.request.user)

    def _read(self, enterprise: Enterprise) -> dict[str, Any]:
        return read_enterprise(enterprise, context=self.get_serializer_context())

    @extend_schema(request=EnterpriseCreateSerializer, responses={201: EnterpriseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = EnterpriseCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = actions.create_enterprise(
            actor=acting_user(request),
            credit_code=data.pop("credit_code"),
            jurisdiction=data.pop("jurisdiction"),
            tags=data.pop("tags", []),
            liaison=data.pop("liaison", None),
            values=data,
        )
        return Response(self._read(enterprise), status=status.HTTP_201_CREATED)

    @extend_schema(request=EnterpriseUpdateSerializer, responses={200: EnterpriseSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        enterprise = cast(Enterprise, self.get_object())
        serializer = EnterpriseUpdateSerializer(
            enterprise, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        updated = actions.update_enterprise(
            enterprise=enterprise,
            actor=acting_user(request),
            tags=data.pop("tags", None),
            jurisdiction=data.pop("jurisdiction", None),
            values=data,
        )
        return Response(self._read(updated))


class IndustryFilter(django_filters.FilterSet):
    level = django_filters.TypedChoiceFilter(label=_("层级"), choices=IndustryLevel.choices, coerce=int)
    prefix = django_filters.CharFilter(label=_("行业代码前缀"), method="filter_prefix")
    section = django_filters.CharFilter(label=_("门类"), method="filter_section")
    parent = django_filters.CharFilter(label=_("上级行业代码"), field_name="parent_id")
    q = django_filters.CharFilter(label=_("名称包含"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Industry
        fields: list[str] = []

    def filter_prefix(self, queryset: QuerySet[Industry], name: str, value: str) -> QuerySet[Industry]:
        return queryset.filter(code__startswith=value.strip().upper())

    def filter_section(self, queryset: QuerySet[Industry], name: str, value: str) -> QuerySet[Industry]:
        return queryset.filter(section=value.strip().upper())


class IndustryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """GB/T 4754 industries: reference data, the same for every jurisdiction."""

    serializer_class = IndustrySerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = IndustryFilter
    ordering_fields = ["code", "name"]
    read_roles = None
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z]+"

    def get_queryset(self) -> QuerySet[Industry]:
        return Industry.objects.order_by("section", "code")


class TagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The enterprise tags a user sees (专精特新, 高新技术企业 …): the national ones and those of
    their jurisdiction, the ones above it and the ones below it; another park's tag is a 404."""

    serializer_class = TagSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_fields = {"name": ["exact", "icontains"]}
    ordering_fields = ["name", "order"]
    read_roles = None

    def get_queryset(self) -> QuerySet[Tag]:
        return permissions.tags_visible(self.request.user).order_by("order", "name", "pk")
