"""Endpoints of key projects: the projects the caller may see with their battle maps, reports and
history, their stage steps and monthly reports; the meetings with their decisions. Reads are
scoped like the pages; writes are the same actions the pages call (a refused or stale step is a 409)."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.actors import acting_user
from lianqi.core.api.errors import ErrorSerializer, InvalidQuery
from lianqi.core.api.views import ScopedViewSet

from .. import leads
from ..actions import portfolio, reports
from ..actions.pipeline import LEAD_STEPS
from ..filters import ProjectFilter
from ..models import Lead, Project
from ..permissions import MANAGERS, READERS, visible, visible_leads, visible_meetings
from ..workflow import lead_needs_of
from .serializers import (
    FunnelSerializer,
    LeadSerializer,
    LeadStepSerializer,
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


YEAR = OpenApiParameter(
    "year", OpenApiTypes.INT, OpenApiParameter.QUERY, description="年度（默认今年）：截至该年底发现的线索"
)


def _year(request: Request) -> int:
    """`?year=`, the current year when missing; anything but a year from 2000 to 2100 is a 400
    naming the parameter."""
    value = request.query_params.get("year", "")
    if not value:
        return timezone.localdate().year
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise InvalidQuery({"year": [_("请填写 2000 至 2100 之间的年度")]}, message=_("查询参数的值有误"))
    return int(value)


class LeadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The attraction pipeline's leads of the caller's jurisdiction (招商), the furthest on first,
    with their steps and the year's funnel figures."""

    serializer_class = LeadSerializer
    read_roles = MANAGERS
    write_roles = MANAGERS

    def allowed_query_parameters(self, request: Request) -> set[str]:
        allowed = super().allowed_query_parameters(request)
        return allowed | {"year"} if self.action in ("list", "funnel") else allowed

    def get_queryset(self) -> Any:
        queryset = visible_leads(self.request.user).prefetch_related("events__actor")
        if self.action == "list":
            return queryset.filter(found_on__year__lte=_year(self.request)).order_by(
                "-signed_on", "-found_on", "-pk"
            )
        return queryset.order_by("pk")

    @extend_schema(parameters=[YEAR])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The leads found up to the end of `year`."""
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=LeadStepSerializer,
        parameters=[
            OpenApiParameter(
                "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=[str(a) for a in LEAD_STEPS]
            )
        ],
        responses={200: LeadSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)", url_name="step")
    def step(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Move the lead on (or drop it) on a date, with the version last read; `sign` needs the
        amount, `drop` the reason."""
        row = cast(Lead, self.get_object())
        take = LEAD_STEPS.get(name)
        if take is None:
            raise Http404
        serializer = LeadStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Only what the step needs is passed; a missing one is the action's field error.
        inputs = {need: data.get(need) for need in lead_needs_of(name) if need != "on"}
        take(
            lead=row,
            actor=acting_user(request),
            expected_version=data["expected_version"],
            on=data["on"],
            **inputs,
        )
        return Response(LeadSerializer(self.get_queryset().get(pk=row.pk)).data)

    @extend_schema(parameters=[YEAR], responses={200: FunnelSerializer})
    @action(detail=False, methods=["get"], url_path="funnel", url_name="funnel")
    def funnel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The year's funnel (conversion and dwell time per stage), signings and same-year projects."""
        figures = leads.pipeline_figures(request.user, _year(request))
        body = {
            "year": figures.year,
            "stages": [
                {
                    "stage": str(s["stage"].value),
                    "stage_label": str(s["stage"].label),
                    "reached": s["figure"].reached,
                    "went_on": s["figure"].went_on,
                    "conversion": s["figure"].conversion,
                    "dwell_days": s["figure"].dwell_days,
                }
                for s in figures.stages
            ],
            "signed": figures.signed,
            "signed_amount": figures.signed_amount,
            "big": figures.big,
            "big_amount": figures.big_amount,
            "same_year": [lead.pk for lead in figures.same_year],
            "dropped": figures.dropped,
        }
        return Response(FunnelSerializer(body).data)
