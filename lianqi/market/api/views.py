"""Endpoints of the market: offers and needs the caller may see (and recording them), the
suppliers ranked for a need with their reasons, introductions with their steps, and matching
events. Reads are scoped like the pages; writes are the same actions the pages call, so bad
input is a 400 naming the field and a refused or stale step a 409."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.actors import acting_user
from lianqi.core.api.errors import ErrorSerializer
from lianqi.core.api.views import ScopedViewSet
from lianqi.policies.subjects import parsed_condition

from .. import actions, queries
from ..filters import NeedFilter, OfferFilter
from ..models import Chain, Introduction, MatchingFair, Need, Offer
from ..permissions import (
    INTRODUCERS,
    ORGANISERS,
    PURCHASE_RECORDERS,
    READERS,
    STAFF,
    access_enterprise,
    access_offer,
    visible_chains,
    visible_fairs,
    visible_introductions,
    visible_needs,
    visible_offers,
    visible_purchases,
)
from ..workflow import needs_of
from .serializers import (
    CandidateSerializer,
    ChainMapSerializer,
    ChainSerializer,
    FairSerializer,
    IntroduceSerializer,
    IntroductionSerializer,
    IntroductionStepSerializer,
    MarketInvitationRequestSerializer,
    MarketInvitationSerializer,
    NeedCreateSerializer,
    NeedSerializer,
    OfferCreateSerializer,
    OfferSerializer,
    PurchaseCreateSerializer,
    PurchaseSerializer,
)


class OfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Offers the caller may see, newest first; recording one."""

    serializer_class = OfferSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = OfferFilter
    read_roles = READERS
    write_roles = READERS  # whom one records for is the action's business

    def get_queryset(self) -> Any:
        return visible_offers(self.request.user).select_related("enterprise").order_by("-created_at", "-pk")

    @extend_schema(
        request=OfferCreateSerializer,
        responses={201: OfferSerializer, 404: OpenApiResponse(response=ErrorSerializer)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record an offer: 400 naming the field for bad input, 404 for an enterprise the
        caller may not see."""
        serializer = OfferCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = access_enterprise(request.user, data.pop("enterprise"))
        row = actions.create_offer(enterprise=enterprise, actor=acting_user(request), **data)
        return Response(OfferSerializer(row).data, status=status.HTTP_201_CREATED)


class NeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Needs the caller may see, newest first; recording one; the suppliers ranked for one and
    introducing one of them."""

    serializer_class = NeedSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NeedFilter
    read_roles = READERS
    write_roles = READERS
    action_roles = {"introduce": tuple(INTRODUCERS)}

    def get_queryset(self) -> Any:
        return (
            visible_needs(self.request.user)
            .select_related("enterprise", "industry")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        request=NeedCreateSerializer,
        responses={201: NeedSerializer, 404: OpenApiResponse(response=ErrorSerializer)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a need: 400 naming the field for bad input (no quantity, no date, a budget
        with a third decimal), 404 for an enterprise the caller may not see."""
        serializer = NeedCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = access_enterprise(request.user, data.pop("enterprise"))
        row = actions.create_need(enterprise=enterprise, actor=acting_user(request), **data)
        return Response(NeedSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CandidateSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def suppliers(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The open offers the caller may see ranked for this need, best first, with reasons."""
        need = cast(Need, self.get_object())
        return Response(CandidateSerializer(queries.suppliers_for(request.user, need), many=True).data)

    @extend_schema(
        request=IntroduceSerializer,
        responses={201: IntroductionSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def introduce(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Introduce an offer's supplier to this need's buyer (the office or a liaison)."""
        need = cast(Need, self.get_object())
        serializer = IntroduceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer: Offer = access_offer(request.user, serializer.validated_data["offer"])
        row = actions.introduce(need=need, offer=offer, actor=acting_user(request))
        return Response(IntroductionSerializer(row).data, status=status.HTTP_201_CREATED)


class IntroductionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Introductions the caller may see, with their history, and their steps."""

    serializer_class = IntroductionSerializer
    read_roles = READERS
    write_roles = tuple(INTRODUCERS)

    def get_queryset(self) -> Any:
        return (
            visible_introductions(self.request.user)
            .prefetch_related("events__actor")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        request=IntroductionStepSerializer,
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(actions.STEPS))
        ],
        responses={200: IntroductionSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)", url_name="step")
    def step(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Take one step with the version last read: 409 when stale or not allowed now, 400
        with field errors for bad input."""
        row = cast(Introduction, self.get_object())
        take = actions.STEPS.get(name)
        if take is None:
            raise Http404
        serializer = IntroductionStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inputs = {need: data.get(need) for need in needs_of(name)}
        if "drop_reason" in inputs:
            inputs["drop_reason"] = inputs["drop_reason"] or ""
        take(
            introduction=row, actor=acting_user(request), expected_version=data["expected_version"], **inputs
        )
        return Response(IntroductionSerializer(self.get_queryset().get(pk=row.pk)).data)


class FairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Matching events the caller may see, newest first, with their deals; their invitations."""

    serializer_class = FairSerializer
    read_roles = STAFF
    write_roles = ORGANISERS

    def get_queryset(self) -> Any:
        return visible_fairs(self.request.user).prefetch_related("deals").order_by("-held_on", "-pk")

    @extend_schema(
        request=MarketInvitationRequestSerializer,
        responses={
            200: MarketInvitationSerializer(many=True),
            201: MarketInvitationSerializer(many=True),
            400: OpenApiResponse(response=ErrorSerializer),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def invitations(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Whom the event would invite — firms with open needs, and those a condition over the
        register admits — with why (200, nothing written); with ``send`` the service office of
        the event's jurisdiction invites them through the outbox and the new invitations come
        back (201; sending again invites nobody twice)."""
        fair = cast(MatchingFair, self.get_object())
        serializer = MarketInvitationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule, problems = parsed_condition(serializer.validated_data.get("condition") or "", str(fair))
        if problems:
            raise ValidationError({"condition": problems})
        preview = actions.invitation_preview(fair, rule or None, timezone.localdate())
        if not serializer.validated_data["send"]:
            return Response(MarketInvitationSerializer(preview, many=True).data)
        created = actions.send_invitations(fair=fair, rule=rule or None, actor=acting_user(request))
        new = {row.enterprise_id for row in created}
        sent = [invitation for invitation in preview if invitation.enterprise_id in new]
        return Response(MarketInvitationSerializer(sent, many=True).data, status=status.HTTP_201_CREATED)


class PurchaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Purchases the caller may see (`?year=` to keep one year); recording one."""

    serializer_class = PurchaseSerializer
    read_roles = READERS
    write_roles = PURCHASE_RECORDERS

    def allowed_query_parameters(self, request: Request) -> set[str]:
        return {*super().allowed_query_parameters(request), "year"}

    def get_queryset(self) -> Any:
        queryset = visible_purchases(self.request.user).select_related("buyer").order_by("-year", "pk")
        year = self.request.query_params.get("year", "")
        if year and not (year.isdigit() and len(year) <= 4):
            raise ValidationError({"year": [_("年度须为四位数字")]})
        return queryset.filter(year=int(year)) if year else queryset

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="年度")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=PurchaseCreateSerializer,
        responses={201: PurchaseSerializer, 404: OpenApiResponse(response=ErrorSerializer)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a purchase: 400 naming the field (a supplier outside the register without a
        credit code is refused), 404 for a buyer or supplier the caller may not see."""
        serializer = PurchaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        buyer = access_enterprise(request.user, data.pop("buyer"))
        supplier_id = data.pop("supplier", None)
        # A supplier named by id is one the caller may see; any other is named by its credit code.
        supplier = access_enterprise(request.user, supplier_id) if supplier_id else None
        row = actions.record_purchase(buyer=buyer, supplier=supplier, actor=acting_user(request), **data)
        return Response(PurchaseSerializer(row).data, status=status.HTTP_201_CREATED)


def _map_data(found: queries.ChainMap) -> dict[str, Any]:
    figures = found.figures
    return {
        "chain": found.chain,
        "year": found.year,
        "firms": figures.firms,
        "local_purchases": figures.local,
        "total_purchases": figures.total,
        "local_rate": figures.rate,
        "missing_nodes": [n.node.name for n in figures.missing],
        "output": found.output,
        "output_growth": found.growth,
        "nodes": [
            {
                "id": n.node.key,
                "parent_id": n.node.parent,
                "name": n.node.name,
                "depth": n.depth,
                "coverage": n.coverage,
                "park_firms": n.park_firms,
                "city_firms": n.city_firms,
                "local_purchases": n.local,
                "total_purchases": n.total,
                "local_rate": n.rate,
            }
            for n in figures.nodes
        ],
    }


class ChainViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Industrial chains the caller may see; one chain's map with its local supporting rate by
    node and for the chain (`?year=`, by default the latest year with purchases)."""

    serializer_class = ChainSerializer
    read_roles = STAFF

    def allowed_query_parameters(self, request: Request) -> set[str]:
        return {*super().allowed_query_parameters(request), "year"}

    def get_queryset(self) -> Any:
        return visible_chains(self.request.user).select_related("home_park").order_by("name", "pk")

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="年度")],
        responses={200: ChainMapSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        chain = cast(Chain, self.get_object())
        raw = request.query_params.get("year", "")
        year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else queries.chain_year(chain)
        return Response(ChainMapSerializer(_map_data(queries.chain_map(chain, year))).data)
