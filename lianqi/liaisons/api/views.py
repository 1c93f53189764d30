"""The liaison history (联企干部变更) as an endpoint, scoped like the enterprises it concerns, and
assigning a liaison, addressed as an action on the enterprise:
POST /api/v1/enterprises/{id}/assign-liaison/."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.actors import acting_user
from lianqi.core.api.filters import IdFilter, StrictOrderingFilter
from lianqi.core.api.views import ApiView, ScopedViewSet
from lianqi.core.roles import STAFF_ROLES
from lianqi.enterprises.api.serializers import EnterpriseSerializer
from lianqi.enterprises.api.views import read_enterprise
from lianqi.liaisons import permissions
from lianqi.liaisons.actions import assign_liaison
from lianqi.liaisons.choices import AssignmentMethod
from lianqi.liaisons.models import LiaisonChange
from lianqi.liaisons.permissions import access_enterprise, visible

from .serializers import AssignLiaisonSerializer, LiaisonChangeSerializer


class LiaisonChangeFilter(django_filters.FilterSet):
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")
    staff = IdFilter(label=_("干部（原任或新任）"), method="filter_staff")
    method = django_filters.ChoiceFilter(label=_("方式"), choices=AssignmentMethod.choices)

    class Meta:
        model = LiaisonChange
        fields: list[str] = []

    def filter_staff(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(Q(from_staff_id=value) | Q(to_staff_id=value))


class LiaisonChangeViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Every change of liaison in the caller's jurisdictions, newest first."""

    serializer_class = LiaisonChangeSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = LiaisonChangeFilter
    ordering_fields = ["at"]
    read_roles = STAFF_ROLES

    def get_queryset(self) -> QuerySet[LiaisonChange]:
        return (
            visible(self.request.user)
            .select_related("enterprise", "from_staff", "to_staff", "actor")
            .order_by("-at", "-pk")
        )


class AssignLiaisonView(ApiView):
    """Make a staff member the enterprise's one liaison; the change is kept in the history
    (liaison-changes) with the reason and the caller."""

    write_roles = permissions.ACT_ROLES

    @extend_schema(request=AssignLiaisonSerializer, responses={200: EnterpriseSerializer})
    def post(self, request: Request, id: int) -> Response:
        enterprise = access_enterprise(request.user, id)
        serializer = AssignLiaisonSerializer(data=request.data, context={"request": request, "view": self})
        serializer.is_valid(raise_exception=True)
        try:
            assign_liaison(
                enterprise=enterprise,
                staff=serializer.validated_data["staff"],
                actor=acting_user(request),
                reason=serializer.validated_data["reason"],
            )
        except DjangoValidationError as exc:
            # The action names the field after the model ("liaison"); the request calls it "staff".
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"staff": exc.messages}
            raise DjangoValidationError(
                {("staff" if key == "liaison" else key): value for key, value in messages.items()}
            ) from exc
        return Response(read_enterprise(enterprise, context={"request": request, "view": self}))
