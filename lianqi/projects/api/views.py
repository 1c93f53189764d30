"""Endpoints of key projects: the projects the caller may see with their battle maps, reports and
history, their stage steps and monthly reports; the meetings with their decisions. Reads are
scoped like the pages; writes are the same actions the pages call (a refused or stale step is a 409)."""

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

from ..actions import portfolio, reports
from ..filters import ProjectFilter
from ..models import Project
from ..permissions import MANAGERS, READERS, visible, visible_meetings
from .serializers import (
    MeetingSerializer,
    ProjectReportInputSerializer,
    ProjectReportSerializer,
    ProjectSerializer,
    ProjectStepSerializer,
)


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Key projects the caller may see, with their battle maps, reports and history."""

    serializer_class = ProjectSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilter
    read_roles = READERS
    write_roles = READERS  # which writes a caller may make is the actions' business

    def get_queryset(self) -> Any:
        return (
            visible(self.request.user)
            .select_related("enterprise", "department")
            .prefetch_related("milestones", "reports", "events__actor")
            .order_by("-plan_year", "name", "pk")
        )

    @extend_schema(
        request=ProjectStepSerializer,
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(portfolio.STEPS))
        ],
        responses={200: ProjectSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)", url_name="step")
    def step(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Move the project to its next stage on a date, with the version last read."""
        row = cast(Project, self.get_object())
        take = portfolio.STEPS.get(name)
        if take is None:
            raise Http404
        serializer = ProjectStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        take(
            project=row, actor=acting_user(request), expected_version=data["expected_version"], on=data["on"]
        )
        return Response(ProjectSerializer(self.get_queryset().get(pk=row.pk)).data)

    @extend_schema(
        request=ProjectReportInputSerializer,
        responses={201: ProjectReportSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path="reports", url_name="report")
    def report(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """File the month's report; a closed month, a second report or an impossible amount is a
        400 naming the field."""
        row = cast(Project, self.get_object())
        serializer = ProjectReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = reports.submit_report(project=row, actor=acting_user(request), **serializer.validated_data)
        return Response(ProjectReportSerializer(report).data, status=201)


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Meetings of the caller's jurisdiction, latest first, with their decisions."""

    serializer_class = MeetingSerializer
    read_roles = MANAGERS
    write_roles = MANAGERS

    def get_queryset(self) -> Any:
        return (
            visible_meetings(self.request.user)
            .select_related("series")
            .prefetch_related("decisions__demand")
            .order_by("-held_on", "-pk")
        )
