"""Endpoints of this wing: the items the caller may see, with their history, and their steps.
Reads are scoped like the pages; every step is the same action the pages call, so a step
refused by the table or based on a stale version answers 409 (core's error handler)."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.actors import acting_user
from lianqi.core.api.errors import ErrorSerializer
from lianqi.core.api.views import ScopedViewSet

from .. import actions
from ..filters import ApprovalsFilter
from ..models import Approvals
from ..permissions import READERS, visible
from ..workflow import needs_of
from .serializers import ApprovalsSerializer, ApprovalsStepSerializer


class ApprovalsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Items the caller may see, newest first, each with its history; and their steps."""

    serializer_class = ApprovalsSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApprovalsFilter
    read_roles = READERS
    write_roles = READERS  # which steps a caller may take is the workflow table's business

    def get_queryset(self) -> Any:
        return (
            visible(self.request.user)
            .select_related("enterprise")
            .prefetch_related("events__actor")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        request=ApprovalsStepSerializer,
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(actions.STEPS))
        ],
        responses={200: ApprovalsSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)", url_name="step")
    def step(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Take one step with the version last read: 409 when it is stale or the table does not
        allow it now, 400 with field errors for bad input."""
        row = cast(Approvals, self.get_object())
        take = actions.STEPS.get(name)
        if take is None:
            raise Http404
        serializer = ApprovalsStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inputs = {need: data.get(need, "") for need in needs_of(name)}
        take(approvals=row, actor=acting_user(request), expected_version=data["expected_version"], **inputs)
        return Response(ApprovalsSerializer(self.get_queryset().get(pk=row.pk)).data)
