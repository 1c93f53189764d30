"""Endpoints for demands (诉求) and their category catalogue.

Demands are listed through `lianqi.demands.permissions.visible` and loaded one by one through
`access_demand`, so another park's demand answers 404. A new demand goes through
`actions.submit_demand` (channel `api`); every step of the lifecycle through `dispatch.perform`,
so the API takes exactly the steps the pages take, with the same checks and the same history."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.actors import acting_user
from lianqi.core.api.errors import ErrorSerializer, error_body
from lianqi.core.api.views import ScopedViewSet
from lianqi.core.roles import Role
from lianqi.core.search import apply_search
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed
from lianqi.demands import actions, dispatch, permissions, queries
from lianqi.demands.choices import Channel, DemandAction, DemandState
from lianqi.demands.models import Category, Demand, DemandEvent
from lianqi.demands.workflow import WORKFLOW

from .serializers import (
    ActionInputSerializer,
    CategorySerializer,
    DemandCreateSerializer,
    DemandDetailSerializer,
    DemandEventSerializer,
    DemandSerializer,
    ExpectedVersionSerializer,
)

#: Who may file a demand through the API: those who take demands in on the pages (liaisons,
#: the office, leaders, admins) and an enterprise user for its own enterprise.
CREATE_ROLES = (Role.LIAISON, Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN, Role.ENTERPRISE)
#: Who may read demands and take steps: anyone `permissions.visible` shows demands to; the
#: workflow table then decides, per demand, which steps the caller may take.
READ_ROLES = (*CREATE_ROLES, Role.DEPARTMENT_HANDLER)

CONFLICT_DESCRIPTION = (
    "冲突：该操作在诉求当前状态下不允许（code=not_allowed，error.allowed_actions 列出当前可执行的操作），"
    "或诉求已被他人修改（code=stale，error.current_version、error.state、error.changed_by 给出最新情况）"
)


class DemandFilter(django_filters.FilterSet):
    """The filters of the demand list."""

    state = django_filters.MultipleChoiceFilter(label=gettext_lazy("状态"), choices=DemandState.choices)
    category = django_filters.NumberFilter(label=gettext_lazy("诉求类别 id"), field_name="category_id")
    department = django_filters.NumberFilter(
        label=gettext_lazy("牵头部门 id"), field_name="lead_department_id"
    )
    enterprise = django_filters.NumberFilter(label=gettext_lazy("企业 id"), field_name="enterprise_id")
    overdue = django_filters.BooleanFilter(label=gettext_lazy("已超期"), method="filter_overdue")
    q = django_filters.CharFilter(label=gettext_lazy("搜索"), method="filter_search")

    class Meta:
        model = Demand
        fields: list[str] = []

    def filter_overdue(self, queryset: QuerySet[Demand], name: str, value: bool | None) -> QuerySet[Demand]:
        if value is None:
            return queryset
        late = queries.overdue(at=timezone.now(), queryset=queryset)
        return late if value else queryset.exclude(pk__in=late.values("pk"))

    def filter_search(self, queryset: QuerySet[Demand], name: str, value: str) -> QuerySet[Demand]:
        return apply_search(queryset, value)


class DemandViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Enterprise demands (诉求): list, file, read with history and allowed steps, and take a
    step of the lifecycle."""

    serializer_class = DemandSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DemandFilter
    read_roles = READ_ROLES
    write_roles = CREATE_ROLES
    # A step is open to every role that sees demands: the table decides per demand.
    action_roles = {"take_action": READ_ROLES}
    paginated_actions = frozenset({"events"})
    http_method_names = ["get", "post", "head"]

    def get_queryset(self) -> QuerySet[Demand]:
        return (
            permissions.visible(self.request.user)
            .select_related("enterprise", "category", "lead_department", "last_actor")
            .order_by("-received_at", "-pk")
        )

    def get_object(self) -> Demand:
        """The demand of the URL through `access_demand` (404 for a missing and a forbidden one
        alike), with what its detail shows."""
        demand = permissions.access_demand(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, demand)
        return self._with_history(demand)

    @staticmethod
    def _with_history(demand: Demand) -> Demand:
        events = DemandEvent.objects.select_related("actor", "department").order_by("at", "pk")
        prefetch_related_objects(
            [demand], "enterprise__liaison", "co_departments", Prefetch("events", queryset=events)
        )
        return demand

    def get_serializer_class(self) -> type[DemandSerializer]:
        return DemandSerializer if self.action == "list" else DemandDetailSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _read(self, demand: Demand) -> dict[str, Any]:
        fresh = self._with_history(permissions.access_demand(self.request.user, demand.pk))
        return DemandDetailSerializer(fresh, context=self.get_serializer_context()).data

    @extend_schema(request=DemandCreateSerializer, responses={201: DemandDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """File a new demand of an enterprise (channel `api`)."""
        serializer = DemandCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        demand = actions.submit_demand(
            enterprise=data["enterprise"],
            category=data["category"],
            channel=Channel.API,
            description=data["description"],
            actor=acting_user(request),
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
        )
        return Response(self._read(demand), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: DemandEventSerializer(many=True)})
    # Paged like every list (`?page=`, `?page_size=`); the demands' filters do not apply here.
    @action(detail=True, methods=["get"], url_path="events", url_name="events", filter_backends=[])
    def events(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The demand's history, oldest first, a page at a time."""
        demand = self.get_object()
        events = demand.events.select_related("actor", "department").order_by("at", "pk")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(DemandEventSerializer(page, many=True).data)

    @extend_schema(
        operation_id="v1_demands_actions_create",
        request=ActionInputSerializer,
        parameters=[
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=DemandAction.values,
                description="操作名，见诉求的 allowed_actions",
            )
        ],
        responses={
            200: DemandDetailSerializer,
            409: OpenApiResponse(response=ErrorSerializer, description=CONFLICT_DESCRIPTION),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"actions/(?P<name>[a-z_]+)",
        url_name="action",
    )
    def take_action(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Take one step of the lifecycle. The caller sends the `version` it last read as
        `expected_version`: if someone changed the demand since, the answer is 409 `stale` with
        who changed it and where it stands; a step the caller may not take now is 409
        `not_allowed` with the steps it may take; missing or bad input is 400 with field errors."""
        demand = self.get_object()
        if name not in DemandAction.values:
            raise Http404
        # The version first: a caller looking at an old page should learn that it is old
        # before being told that a step shown on that page is no longer possible.
        version = ExpectedVersionSerializer(data=request.data)
        version.is_valid(raise_exception=True)
        if version.validated_data["expected_version"] != demand.version:
            return self._stale(StaleVersion(WORKFLOW, demand))
        actor = acting_user(request)
        try:
            transition = WORKFLOW.check(demand, name, actor)
        except TransitionNotAllowed as exc:
            return self._not_allowed(exc)
        serializer = ActionInputSerializer(
            data=request.data, context=self.get_serializer_context(), needs=transition.needs
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected_version = data.pop("expected_version")
        try:
            updated = dispatch.perform(
                demand=demand, action=name, actor=actor, expected_version=expected_version, data=data
            )
        except StaleVersion as exc:
            return self._stale(exc)
        except TransitionNotAllowed as exc:
            return self._not_allowed(exc)
        return Response(self._read(updated))

    def _not_allowed(self, exc: TransitionNotAllowed) -> Response:
        body = error_body("not_allowed", exc.message)
        body["error"]["state"] = str(exc.state)
        body["error"]["allowed_actions"] = [{"code": a.value, "label": str(a.label)} for a in exc.allowed]
        return Response(body, status=status.HTTP_409_CONFLICT)

    def _stale(self, exc: StaleVersion) -> Response:
        body = error_body("stale", exc.message)
        body["error"]["current_version"] = exc.current_version
        body["error"]["state"] = str(exc.state)
        body["error"]["changed_by"] = str(exc.last_actor) if exc.last_actor is not None else None
        return Response(body, status=status.HTTP_409_CONFLICT)


class CategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The demand category catalogue (诉求类别), the same for every jurisdiction."""

    serializer_class = CategorySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = {"is_active": ["exact"]}
    read_roles = None

    def get_queryset(self) -> QuerySet[Category]:
        return Category.objects.order_by("order", "name")
