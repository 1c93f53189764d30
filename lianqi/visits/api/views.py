"""Endpoints of visits: campaigns (list, read, create, steps, coverage), questionnaires with
their versions, and visits (list, read, record — idempotent on the key). Reads are scoped like
the pages; every write is the same action the pages call, so a refused or stale step answers
409 and bad input 400 with the field named (core's error handler)."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.actors import acting_user
from lianqi.core.api.errors import ErrorSerializer
from lianqi.core.api.parsers import LimitedJSONParser
from lianqi.core.api.views import ScopedViewSet
from lianqi.core.roles import Role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset

from .. import actions, queries
from ..models import Campaign, Questionnaire, Visit
from ..permissions import BUILDERS, READERS, RECORDERS, visible_campaigns, visible_visits
from .serializers import (
    CampaignCreateSerializer,
    CampaignSerializer,
    CampaignStepSerializer,
    CoverageSerializer,
    QuestionnaireSaveSerializer,
    QuestionnaireSerializer,
    QuestionnaireVersionSerializer,
    VisitCreateSerializer,
    VisitSerializer,
)
from .uploads import is_multipart, multipart_schema, read_multipart


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Visit campaigns the caller may see, the latest first; create one, take its steps, read
    its coverage."""

    serializer_class = CampaignSerializer
    read_roles = READERS
    write_roles = BUILDERS
    # Which steps a caller may take is the workflow table's business.
    action_roles = {"step": (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)}
    http_method_names = ["get", "post", "head"]

    def get_queryset(self) -> Any:
        return (
            visible_campaigns(self.request.user)
            .prefetch_related("events__actor")
            .order_by("-starts_on", "-pk")
        )

    @extend_schema(request=CampaignCreateSerializer, responses={201: CampaignSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create a campaign in the caller's jurisdiction, as a draft."""
        serializer = CampaignCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        user = acting_user(request)
        jurisdiction = user.jurisdiction
        if jurisdiction is None:
            raise ValidationError({"jurisdiction": _("您的账号没有所属辖区，不能创建走访活动")})
        campaign = actions.create_campaign(jurisdiction=jurisdiction, actor=user, **serializer.validated_data)
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CampaignStepSerializer,
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(actions.STEPS))
        ],
        responses={200: CampaignSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)", url_name="step")
    def step(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Publish or close with the version last read: 409 when stale or not allowed now, 400
        listing why a questionnaire cannot be published."""
        campaign = cast(Campaign, self.get_object())
        take = actions.STEPS.get(name)
        if take is None:
            raise Http404
        serializer = CampaignStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        take(
            campaign=campaign,
            actor=acting_user(request),
            expected_version=serializer.validated_data["expected_version"],
        )
        return Response(CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data)

    @extend_schema(responses={200: CoverageSerializer})
    @action(detail=True, methods=["get"], url_name="coverage")
    def coverage(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Visited and not yet, by liaison and department; forms; demands raised by category."""
        return Response(CoverageSerializer(queries.coverage(cast(Campaign, self.get_object()))).data)


class QuestionnaireViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Questionnaires of the caller's jurisdiction with every version; create one, or save a
    new definition (which becomes the next version once the current one is in use)."""

    serializer_class = QuestionnaireSerializer
    read_roles = BUILDERS
    write_roles = BUILDERS
    http_method_names = ["get", "post", "head"]

    def get_queryset(self) -> Any:
        return (
            scope_queryset(Questionnaire.objects.all(), self.request.user)
            .prefetch_related("versions")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=QuestionnaireSaveSerializer, responses={201: QuestionnaireSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create a questionnaire in the caller's jurisdiction with its first version."""
        serializer = QuestionnaireSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = acting_user(request)
        version = actions.save_questionnaire(
            questionnaire=None, jurisdiction=user.jurisdiction, actor=user, **serializer.validated_data
        )
        fresh = self.get_queryset().get(pk=version.questionnaire_id)
        return Response(QuestionnaireSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=QuestionnaireSaveSerializer, responses={200: QuestionnaireVersionSerializer})
    @action(detail=True, methods=["post"], url_name="save")
    def save(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Save a new definition: the current version changes while unused, otherwise the
        next version is made; the answer says which."""
        questionnaire = cast(Questionnaire, self.get_object())
        serializer = QuestionnaireSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = actions.save_questionnaire(
            questionnaire=questionnaire, actor=acting_user(request), **serializer.validated_data
        )
        return Response(QuestionnaireVersionSerializer(version).data)


class PassthroughRenderer(BaseRenderer):
    """Lets a file download be asked for with any ``Accept``; the file is the response itself,
    and an error answered instead is still the JSON error shape."""

    media_type = "*/*"
    format = "file"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            # The header was set from the negotiated type before rendering; an error is JSON.
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data, "application/json", renderer_context)


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Visits the caller may see, the latest first, with their answers, photos and files and
    raised demands; recording one (JSON, or multipart with its photos and files): a new visit
    answers 201, the same `idempotency_key` again answers 200 with the first visit; and
    downloading one of its files."""

    serializer_class = VisitSerializer
    read_roles = READERS
    write_roles = RECORDERS
    http_method_names = ["get", "post", "head"]
    parser_classes = [LimitedJSONParser, MultiPartParser]

    def get_queryset(self) -> Any:
        return (
            visible_visits(self.request.user)
            .select_related("enterprise")
            .prefetch_related("raised__demand__category", "files")
            .order_by("-checked_in_at", "-pk")
        )

    @extend_schema(
        request={"application/json": VisitCreateSerializer, "multipart/form-data": multipart_schema()},
        responses={201: VisitSerializer, 200: VisitSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a visit; answers are checked against the campaign's questionnaire version and
        each wrong one is named as `answer_<key>`. Photos and files go as multipart parts named
        `answer_<key>` of the questions they answer; a retry with the same key stores none again."""
        files: dict[str, Any] = {}
        body: Any = request.data
        if is_multipart(request):
            body, files = read_multipart(request)
        serializer = VisitCreateSerializer(data=body, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        existed = Visit.objects.filter(idempotency_key=data["idempotency_key"]).exists()
        visit = actions.record_visit(actor=acting_user(request), files=files, **data)
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(
            VisitSerializer(fresh).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[OpenApiParameter("fid", OpenApiTypes.INT, OpenApiParameter.PATH, description="附件 id")],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"files/(?P<fid>[0-9]+)",
        url_name="file",
        renderer_classes=[JSONRenderer, PassthroughRenderer],
    )
    def file(self, request: Request, *args: Any, fid: str = "", **kwargs: Any) -> FileResponse:
        """Download a photo or file of the visit (404 for a visit the caller may not see)."""
        visit = cast(Visit, self.get_object())
        document = get_object_or_404_scoped(visit.files.all(), pk=fid)
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        return FileResponse(
            handle, as_attachment=True, filename=document.name, content_type="application/octet-stream"
        )
