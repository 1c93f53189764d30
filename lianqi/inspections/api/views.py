"""Endpoints of this wing: the items the caller may see, with their history, and their steps.
Reads are scoped like the pages; every step is the same action the pages call, so a step
refused by the table or based on a stale version answers 409 (core's error handler)."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.actors import acting_user
from lianqi.core.api.errors import ErrorSerializer
from lianqi.core.api.views import ScopedViewSet
from lianqi.core.roles import has_role
from lianqi.core.scoping import scope_queryset

from .. import actions
from ..filters import InspectionFilter
from ..models import Inspection, InspectionDraw, InspectionItem, LenientItem
from ..permissions import MANAGERS, READERS, REGISTRARS, visible
from ..workflow import needs_of
from .serializers import (
    InspectionCreateSerializer,
    InspectionDrawSerializer,
    InspectionItemSerializer,
    InspectionSerializer,
    InspectionStepSerializer,
    LenientItemSerializer,
)


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Items the caller may see, newest first, each with its history; and their steps."""

    serializer_class = InspectionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InspectionFilter
    read_roles = READERS
    write_roles = READERS  # which steps a caller may take is the workflow table's business

    def get_queryset(self) -> Any:
        return (
            visible(self.request.user)
            .select_related("enterprise")
            .prefetch_related("events__actor", "inspectors")
            .order_by("-planned_on", "-pk")
        )

    @extend_schema(request=InspectionCreateSerializer, responses={201: InspectionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register an inspection before entry: the same checks as the page, refused field by
        field (400); over a cap without `exception_reason` refused naming the rule, with one
        it is registered awaiting the service office's approval (state `awaiting`, no code)."""
        if not has_role(request.user, REGISTRARS):
            raise PermissionDenied
        serializer = InspectionCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        row = actions.register_inspection(actor=acting_user(request), **data)
        fresh = self.get_queryset().get(pk=row.pk)
        return Response(InspectionSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=InspectionStepSerializer,
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(actions.STEPS))
        ],
        responses={200: InspectionSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)", url_name="step")
    def step(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Take one step with the version last read: 409 when it is stale or the table does not
        allow it now, 400 with field errors for bad input."""
        row = cast(Inspection, self.get_object())
        take = actions.STEPS.get(name)
        if take is None:
            raise Http404
        serializer = InspectionStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inputs = {need: data.get(need, "") for need in needs_of(name)}
        take(inspection=row, actor=acting_user(request), expected_version=data["expected_version"], **inputs)
        return Response(InspectionSerializer(self.get_queryset().get(pk=row.pk)).data)


class LenientItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The lenient-enforcement lists of the caller's jurisdiction and those below it, by list
    and number (the public page publishes the same items to anyone)."""

    serializer_class = LenientItemSerializer
    read_roles = MANAGERS

    def get_queryset(self) -> Any:
        return scope_queryset(LenientItem.objects.all(), self.request.user).order_by("kind", "number", "pk")


class InspectionDrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The random draws of the caller's jurisdiction, newest first, each with its published
    document."""

    serializer_class = InspectionDrawSerializer
    read_roles = MANAGERS

    def get_queryset(self) -> Any:
        return scope_queryset(InspectionDraw.objects.all(), self.request.user).order_by("-created_at", "-pk")


class InspectionItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The published inspection items (检查事项清单) of the caller's jurisdiction and those below
    it, by department and name: what an inspection may be registered against."""

    serializer_class = InspectionItemSerializer
    read_roles = REGISTRARS

    def get_queryset(self) -> Any:
        return (
            scope_queryset(InspectionItem.objects.filter(is_published=True), self.request.user)
            .select_related("department")
            .order_by("department_id", "name", "pk")
        )
