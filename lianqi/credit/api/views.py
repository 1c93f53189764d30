"""Endpoints of the credit work: the dishonesty records the caller may see, with their repair
history, and their steps; and the credit class of each enterprise the caller may see, read
only (a class is computed by the published rule: writing one is not allowed, 405). Reads are
scoped like the pages; every step is the same action the pages call, so a step refused by the
table or based on a stale version answers 409 (core's error handler)."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django.utils.translation import gettext
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
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise

from .. import actions, queries
from ..filters import RecordFilter
from ..models import DishonestyRecord
from ..permissions import READERS, visible
from ..workflow import needs_of
from .serializers import ClassSerializer, RecordSerializer, RecordStepSerializer


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Dishonesty records the caller may see, newest decision first, each with its repair
    history; and their repair steps."""

    serializer_class = RecordSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RecordFilter
    read_roles = READERS
    write_roles = READERS  # which steps a caller may take is the workflow table's business

    def get_queryset(self) -> Any:
        return (
            visible(self.request.user)
            .select_related("enterprise")
            .prefetch_related("events__actor")
            .order_by("-decided_on", "-pk")
        )

    @extend_schema(
        request=RecordStepSerializer,
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(actions.STEPS))
        ],
        responses={200: RecordSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)", url_name="step")
    def step(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Take one repair step with the version last read: 409 when it is stale or the table
        does not allow it now (a step out of order), 400 with field errors for bad input."""
        row = cast(DishonestyRecord, self.get_object())
        take = actions.STEPS.get(name)
        if take is None:
            raise Http404
        serializer = RecordStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inputs = {
            need: data.get(need, "" if need in ("materials", "note") else None) for need in needs_of(name)
        }
        take(record=row, actor=acting_user(request), expected_version=data["expected_version"], **inputs)
        return Response(RecordSerializer(self.get_queryset().get(pk=row.pk)).data)


class ClassViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The credit class of each enterprise the caller may see, with its reasons (by the
    enterprise's id). Read only: there is no way to type a class."""

    serializer_class = ClassSerializer
    read_roles = READERS
    write_roles = READERS  # so that a class sent by hand is told 405: there is no write

    def get_queryset(self) -> Any:
        return enterprises.visible(self.request.user).order_by("pk")

    def _rows(self, found: list[Enterprise]) -> list[dict[str, Any]]:
        grades = queries.grades(Enterprise.objects.filter(pk__in=[e.pk for e in found]))
        return [
            {
                "enterprise": e.pk,
                "enterprise_name": e.name,
                "credit_class": grades[e.pk].credit_class,
                "score": grades[e.pk].score,
                "vetoed": grades[e.pk].vetoed,
                "reasons": [
                    {"label": gettext(r.label), "count": r.count, "points": r.points}
                    for r in grades[e.pk].reasons
                ],
            }
            for e in found
        ]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        if page is not None:
            return self.get_paginated_response(ClassSerializer(self._rows(list(page)), many=True).data)
        return Response(ClassSerializer(self._rows(list(self.get_queryset())), many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        enterprise = cast(Enterprise, self.get_object())
        return Response(ClassSerializer(self._rows([enterprise])[0]).data)
