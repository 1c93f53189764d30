"""Endpoints of the land supermarket. Parcels answer GeoJSON (the list a FeatureCollection, one
parcel a Feature) and take a reservation; reservations are listed with their history and take
their steps. Reads are scoped like the pages (another jurisdiction's parcel is a 404); every
write is the same action the pages call, so a step refused by the table or based on a stale
version answers 409, bad input a 400 naming the field."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.actors import acting_user
from lianqi.core.api.errors import ErrorSerializer
from lianqi.core.api.schema import ErrorAwareAutoSchema
from lianqi.core.api.views import ScopedViewSet
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import scope_queryset
from lianqi.enterprises.models import Enterprise

from .. import actions, queries
from ..filters import ParcelFilter, ReservationFilter
from ..models import Parcel, Reservation
from ..permissions import READERS, RESERVERS, visible, visible_parcels
from ..workflow import needs_of
from .serializers import (
    ParcelDetailSerializer,
    ParcelFeatureCollectionSerializer,
    ReservationSerializer,
    ReservationStepSerializer,
    ReserveSerializer,
)

DETAIL_DECIMALS = (
    "plot_ratio_min",
    "plot_ratio_max",
    "building_density_max",
    "height_limit_m",
    "investment_per_mu_min",
    "tax_per_mu_min",
    "energy_per_output_max",
    "emissions_max",
)


def _feature(row: Parcel) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in queries.MAP_COLUMNS if name != "pk"}
    feature = queries.feature_collection([{"pk": row.pk, **values}])["features"][0]
    props = feature["properties"]
    for name in DETAIL_DECIMALS:
        value = getattr(row, name)
        props[name] = None if value is None else float(value)
    for name in ("barred_industries", "water_tpd", "gas", "sewage", "road", "version"):
        props[name] = getattr(row, name)
    for name in ("planned_on", "available_on", "reserved_on", "transaction_on", "sold_on", "built_on"):
        value = getattr(row, name)
        props[name] = value.isoformat() if value else None
    return cast(dict[str, Any], feature)


class _FeatureCollectionSchema(ErrorAwareAutoSchema):
    """The parcels' list answers one GeoJSON FeatureCollection object, not an array of them."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        if getattr(self.view, "action", None) == "list":
            return False
        return bool(super()._is_list_view(serializer))

    def get_operation_id(self) -> str:
        operation_id = str(super().get_operation_id())
        if getattr(self.view, "action", None) == "list":
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id


class ParcelViewSet(ScopedViewSet):
    """The parcels the caller may see, as GeoJSON; reserving one."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = ParcelFilter
    read_roles = READERS
    write_roles = RESERVERS
    serializer_class = ParcelDetailSerializer
    # The list is one GeoJSON FeatureCollection (a park's map), never a page: the schema says so.
    pagination_class = None
    schema = _FeatureCollectionSchema()

    def get_queryset(self) -> Any:
        return visible_parcels(self.request.user).order_by("code", "pk")

    @extend_schema(responses={200: ParcelFeatureCollectionSerializer})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The parcels as a GeoJSON FeatureCollection (WGS84), filtered, unpaged (a park's map)."""
        text = queries.geojson_text(self.filter_queryset(self.get_queryset()))
        return HttpResponse(text, content_type="application/json")  # type: ignore[return-value]

    @extend_schema(responses={200: ParcelDetailSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One parcel as a GeoJSON Feature with its planning conditions, infrastructure,
        标准地 indicators, status and dates."""
        return Response(_feature(cast(Parcel, self.get_object())))

    @extend_schema(
        request=ReserveSerializer,
        responses={201: ReservationSerializer, 400: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"])
    def reserve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Reserve the parcel for a project: 400 naming the field when the parcel is taken or a
        promise falls short of its 标准地 indicators."""
        row = cast(Parcel, self.get_object())
        serializer = ReserveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        if has_role(user, (Role.SERVICE_OFFICE,)):
            enterprise = (
                scope_queryset(Enterprise.objects.all(), user).filter(pk=data.get("enterprise") or 0).first()
            )
            if enterprise is None:
                raise ValidationError({"enterprise": _("请选择您管辖范围内的企业")})
        else:
            enterprise = Enterprise.objects.filter(pk=getattr(user, "enterprise_id", None) or 0).first()
            if enterprise is None:
                raise Http404
        project = actions.ProjectFigures(
            project_name=data["project_name"],
            industry_code=data["industry_code"],
            total_investment=data["total_investment"],
            investment_per_mu=data["investment_per_mu"],
            tax_per_mu=data["tax_per_mu"],
            energy_per_output=data.get("energy_per_output"),
            emissions_tpa=data.get("emissions_tpa"),
        )
        reservation = actions.reserve_parcel(
            parcel=row, enterprise=enterprise, project=project, actor=acting_user(request)
        )
        out = visible(user).select_related("enterprise", "parcel").prefetch_related("events__actor")
        return Response(
            ReservationSerializer(out.get(pk=reservation.pk)).data, status=status.HTTP_201_CREATED
        )


class ReservationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Reservations the caller may see, newest first, each with its history; and their steps."""

    serializer_class = ReservationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReservationFilter
    read_roles = READERS
    write_roles = READERS  # which steps a caller may take is the workflow table's business

    def get_queryset(self) -> Any:
        return (
            visible(self.request.user)
            .select_related("enterprise", "parcel")
            .prefetch_related("events__actor")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        request=ReservationStepSerializer,
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(actions.STEPS))
        ],
        responses={200: ReservationSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)", url_name="step")
    def step(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Take one step with the version last read: 409 when it is stale or the table does not
        allow it now, 400 with field errors for bad input."""
        row = cast(Reservation, self.get_object())
        take = actions.STEPS.get(name)
        if take is None:
            raise Http404
        serializer = ReservationStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        defaults: dict[str, Any] = {"note": "", "contract_no": ""}
        inputs = {need: data.get(need, defaults.get(need)) for need in needs_of(name)}
        take(reservation=row, actor=acting_user(request), expected_version=data["expected_version"], **inputs)
        return Response(ReservationSerializer(self.get_queryset().get(pk=row.pk)).data)
