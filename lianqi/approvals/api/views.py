"""Endpoints of approvals: the charts (一图三单) a manager's jurisdiction keeps, the runs the caller
may see with their items, and the items' steps. Reads are scoped like the pages; every step is the
same action the pages call, so a step refused by the table or based on a stale version answers
409 (core's error handler) and bad input a 400 naming the field."""

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
from ..filters import RunFilter
from ..models import Material, RunItem
from ..permissions import MANAGERS, READERS, visible_charts, visible_run_items, visible_runs
from ..workflow import needs_of
from .serializers import ChartSerializer, RunItemSerializer, RunItemStepSerializer, RunSerializer


class ChartViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The charts of the caller's jurisdiction, each with its three lists and critical path."""

    serializer_class = ChartSerializer
    read_roles = MANAGERS

    def get_queryset(self) -> Any:
        return (
            visible_charts(self.request.user)
            .prefetch_related("stages", "items__materials", "items__prerequisites")
            .order_by("pk")
        )


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Projects' runs the caller may see, newest first, each with its items."""

    serializer_class = RunSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RunFilter
    read_roles = READERS

    def get_queryset(self) -> Any:
        return (
            visible_runs(self.request.user)
            .select_related("project")
            .prefetch_related("items__item", "items__missing", "items__events__actor")
            .order_by("-started_on", "-pk")
        )


class RunItemViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    """One item of a run, and its steps."""

    serializer_class = RunItemSerializer
    read_roles = READERS
    write_roles = READERS  # which steps a caller may take is the workflow table's business

    def get_queryset(self) -> Any:
        return (
            visible_run_items(self.request.user)
            .select_related("item", "run__project")
            .prefetch_related("missing", "events__actor")
            .order_by("pk")
        )

    @extend_schema(
        request=RunItemStepSerializer,
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(actions.STEPS))
        ],
        responses={200: RunItemSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)", url_name="step")
    def step(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Take one step with the version last read: 409 when it is stale or the table does not
        allow it now, 400 with field errors for bad input."""
        row = cast(RunItem, self.get_object())
        take = actions.STEPS.get(name)
        if take is None:
            raise Http404
        serializer = RunItemStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inputs: dict[str, Any] = {}
        for need in needs_of(name):
            if need == "missing":
                inputs[need] = list(Material.objects.filter(item=row.item, pk__in=data.get("missing") or []))
            elif need == "note":
                inputs[need] = data.get("note", "")
            else:
                inputs[need] = data.get(need)
        take(run_item=row, actor=acting_user(request), expected_version=data["expected_version"], **inputs)
        return Response(RunItemSerializer(self.get_queryset().get(pk=row.pk)).data)
