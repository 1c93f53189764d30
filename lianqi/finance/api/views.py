"""Endpoints of the finance supermarket: the institutions and products the caller may see
(with an enterprise's verdict and reasons), the applications (an institution's token sees
only its own institution's), applying, and the steps. Reads are scoped like the pages; every
write is the same action the pages call, so a step refused by the table or based on a stale
version answers 409 (core's error handler) and bad input 400 naming the field."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
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
from lianqi.core.api.views import ScopedViewSet
from lianqi.core.roles import Role
from lianqi.policies.subjects import parsed_condition

from .. import actions, matching
from ..filters import ApplicationFilter, ProductFilter
from ..models import Application, MatchingEvent, Product
from ..permissions import (
    MANAGERS,
    READERS,
    SHELF_READERS,
    visible,
    visible_events,
    visible_institutions,
    visible_products,
)
from ..workflow import needs_of
from .serializers import (
    FinanceApplicationCreateSerializer,
    FinanceApplicationSerializer,
    FinanceApplicationStepSerializer,
    FinanceEventSerializer,
    FinanceFitSerializer,
    FinanceInstitutionSerializer,
    FinanceInvitationRequestSerializer,
    FinanceInvitationSerializer,
    FinanceProductSerializer,
)


class InstitutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The institutions serving the caller (an institution's user: its own)."""

    serializer_class = FinanceInstitutionSerializer
    read_roles = SHELF_READERS

    def get_queryset(self) -> Any:
        return visible_institutions(self.request.user).order_by("name", "pk")


class ProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The products the caller may see, filtered like the shelf; `fit` answers an enterprise
    account's verdict for one product with the reasons."""

    serializer_class = FinanceProductSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProductFilter
    read_roles = SHELF_READERS

    def get_queryset(self) -> Any:
        return visible_products(self.request.user).order_by("institution__name", "name", "pk")

    @extend_schema(responses={200: FinanceFitSerializer})
    @action(detail=True, methods=["get"], url_name="fit")
    def fit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Whether the calling enterprise qualifies for this product, and why (404 for a caller
        without an enterprise)."""
        product = cast(Product, self.get_object())
        enterprise = getattr(request.user, "enterprise", None)
        if enterprise is None:
            raise Http404
        fit = matching.fit_for(enterprise, product, day=timezone.localdate())
        data = {
            "product": product.pk,
            "verdict": fit.verdict.value,
            "verdict_label": fit.words.verdict_label,
            "lines": fit.words.lines(),
        }
        return Response(FinanceFitSerializer(data).data)


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Applications the caller may see, newest first, each with its history; applying; steps."""

    serializer_class = FinanceApplicationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApplicationFilter
    read_roles = READERS
    write_roles = READERS  # which steps a caller may take is the workflow table's business
    action_roles = {"create": (Role.ENTERPRISE,)}

    def get_queryset(self) -> Any:
        return (
            visible(self.request.user)
            .select_related("enterprise", "product", "institution")
            .prefetch_related("events__actor")
            .order_by("-submitted_at", "-pk")
        )

    @extend_schema(request=FinanceApplicationCreateSerializer, responses={201: FinanceApplicationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Apply, as the calling enterprise, for a product serving it."""
        serializer = FinanceApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        product = visible_products(request.user).filter(pk=data.pop("product")).first()
        if product is None:
            raise ValidationError({"product": _("没有这个产品")})
        user = acting_user(request)
        if user.enterprise is None:
            raise ValidationError({"enterprise": _("您的账号未绑定企业")})
        row = actions.apply_for_product(enterprise=user.enterprise, product=product, actor=user, **data)
        return Response(
            FinanceApplicationSerializer(self.get_queryset().get(pk=row.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=FinanceApplicationStepSerializer,
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(actions.STEPS))
        ],
        responses={200: FinanceApplicationSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)", url_name="step")
    def step(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Take one step with the version last read: 409 when it is stale or the table does not
        allow it now, 400 with field errors for bad input."""
        row = cast(Application, self.get_object())
        take = actions.STEPS.get(name)
        if take is None:
            raise Http404
        serializer = FinanceApplicationStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inputs = {need: data.get(need) for need in needs_of(name)}
        if "reason" in inputs:
            inputs["reason"] = inputs["reason"] or ""
        for money in ("granted_yuan", "disbursed_yuan"):
            if money in inputs and inputs[money] is None:
                raise ValidationError({money: _("请填写金额（元），最多两位小数")})
        take(application=row, actor=acting_user(request), expected_version=data["expected_version"], **inputs)
        return Response(FinanceApplicationSerializer(self.get_queryset().get(pk=row.pk)).data)


class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Bank–enterprise matching events the caller may see, each with its agreements and figures
    (an institution's token: the events it came to)."""

    serializer_class = FinanceEventSerializer
    read_roles = (*MANAGERS, Role.FINANCE)
    write_roles = actions.OFFICE_ROLES

    def get_queryset(self) -> Any:
        return (
            visible_events(self.request.user)
            .prefetch_related(
                "institutions", "attendances__enterprise", "agreements__enterprise", "agreements__institution"
            )
            .order_by("-held_on", "-pk")
        )

    @extend_schema(
        request=FinanceInvitationRequestSerializer,
        responses={
            200: FinanceInvitationSerializer(many=True),
            201: FinanceInvitationSerializer(many=True),
            400: OpenApiResponse(response=ErrorSerializer),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def invitations(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Whom the event would invite — enterprises a condition over the register admits, and
        those with financing-difficulty demands in the months before — with why (200, nothing
        written); with ``send`` the office of the event's jurisdiction invites them through the
        outbox and the new invitations come back (201; sending again invites nobody twice)."""
        event = cast(MatchingEvent, self.get_object())
        serializer = FinanceInvitationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rule, problems = parsed_condition(data.get("condition") or "", event.title)
        if problems:
            raise ValidationError({"condition": problems})
        months = data["demand_months"]
        preview = actions.invitation_preview(event, rule or None, months, timezone.localdate())
        if not data["send"]:
            return Response(FinanceInvitationSerializer(preview, many=True).data)
        created = actions.send_event_invitations(
            event=event, rule=rule or None, demand_months=months, actor=acting_user(request)
        )
        new = {row.enterprise_id for row in created}
        sent = [invitation for invitation in preview if invitation.enterprise_id in new]
        return Response(FinanceInvitationSerializer(sent, many=True).data, status=status.HTTP_201_CREATED)
