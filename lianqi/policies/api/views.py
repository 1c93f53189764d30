"""Endpoints of the policy supermarket: policies and their rule files (draft, sandbox,
publish), stored matches with explanations, and the fulfilment ledger with its steps and online
applications. Reads are scoped like the pages; writes go through `lianqi.policies.actions`."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.actors import Actor, acting_user
from lianqi.core.api.errors import ErrorSerializer, error_body
from lianqi.core.api.views import ScopedViewSet
from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES, Role
from lianqi.core.search import apply_search
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed

from .. import actions, queries
from ..choices import FulfilmentAction, FulfilmentState, MatchVerdict, PolicyKind, PolicyLevel
from ..models import Fulfilment, Policy, PolicyMatch
from ..permissions import (
    access_fulfilment,
    access_match,
    access_policy,
    access_version,
    fulfilments_visible,
    matches_visible,
    policies_visible,
)
from .serializers import (
    ApplicationSerializer,
    ExplanationSerializer,
    FulfilmentSerializer,
    PolicyMatchSerializer,
    PolicySerializer,
    PolicyVersionSerializer,
    RuleDraftSerializer,
    SandboxInputSerializer,
    SandboxSerializer,
    StepSerializer,
)

READERS = (*STAFF_ROLES, Role.ENTERPRISE)
EDITORS = tuple(OFFICE_ROLES)


def _actor(request: Request) -> Actor:
    # DRF's request carries the authenticated account (session or token) as Django's does.
    return acting_user(cast(HttpRequest, request))


class PolicyFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("政策层级"), choices=PolicyLevel.choices)
    kind = django_filters.ChoiceFilter(label=_("政策类型"), choices=PolicyKind.choices)
    department = django_filters.NumberFilter(label=_("主管部门"), field_name="department_id")
    no_application = django_filters.BooleanFilter(label=_("免申即享"))
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    class Meta:
        model = Policy
        fields: list[str] = []

    def search(self, queryset: QuerySet[Policy], name: str, value: str) -> QuerySet[Policy]:
        return apply_search(queryset, value)


class PolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The policy shelf (政策超市): every policy that applies where the caller works. The
    service office drafts rules, runs the sandbox and publishes versions."""

    serializer_class = PolicySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PolicyFilter
    read_roles = READERS
    write_roles = EDITORS

    def get_queryset(self) -> QuerySet[Policy]:
        return (
            policies_visible(self.request.user)
            .select_related("department")
            .prefetch_related("versions")
            .order_by("code")
        )

    def get_object(self) -> Policy:
        policy = access_policy(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, policy)
        return policy

    def _editable(self) -> Policy:
        # A higher level's policy is read here, not rewritten.
        policy = access_policy(self.request.user, self.kwargs["pk"], to_change=True)
        self.check_object_permissions(self.request, policy)
        return policy

    @extend_schema(
        parameters=[OpenApiParameter("version", OpenApiTypes.INT, description="版本号；默认现行版本")],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], url_path="rule", url_name="rule")
    def rule(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A version's rule file data (docs/rules.md): `?version=` or the version in force."""
        number = request.query_params.get("version", "")
        if number:
            if not number.isdigit():
                raise Http404
            version = access_version(request.user, kwargs["pk"], int(number))
        else:
            found = queries.version_on(self.get_object(), timezone.localdate())
            if found is None:
                raise Http404
            version = found
        return Response(version.rule)

    def allowed_query_parameters(self, request: Request) -> set[str]:
        allowed = super().allowed_query_parameters(request)
        return allowed | {"version"} if getattr(self, "action", None) == "rule" else allowed

    @extend_schema(request=RuleDraftSerializer, responses={201: PolicyVersionSerializer})
    @action(detail=True, methods=["post"], url_path="drafts", url_name="drafts")
    def drafts(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Store a rule as a new draft; refused whole (400) with every fault located."""
        policy = self._editable()
        serializer = RuleDraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = actions.save_policy_draft(
            policy=policy,
            actor=_actor(request),
            rule=serializer.validated_data["rule"],
            valid_from=serializer.validated_data["valid_from"],
            valid_to=serializer.validated_data.get("valid_to"),
            note=serializer.validated_data.get("note", ""),
        )
        return Response(PolicyVersionSerializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SandboxInputSerializer, responses={200: SandboxSerializer})
    @action(detail=True, methods=["post"], url_path="sandbox", url_name="sandbox")
    def sandbox(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Compare a rule with the version in force without storing anything."""
        policy = self._editable()
        serializer = SandboxInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = queries.sandbox(
            policy,
            serializer.validated_data["rule"],
            day=serializer.validated_data.get("day") or timezone.localdate(),
        )
        return Response(SandboxSerializer(result).data)

    @extend_schema(
        request=None,
        parameters=[OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: PolicyVersionSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"versions/(?P<number>\d+)/publish", url_name="publish")
    def publish(self, request: Request, *args: Any, number: str = "", **kwargs: Any) -> Response:
        """Publish a draft; refused (400) when its test cases fail or its dates overlap."""
        version = access_version(request.user, kwargs["pk"], int(number), to_change=True)
        published = actions.publish_policy_version(version=version, actor=_actor(request))
        return Response(PolicyVersionSerializer(published).data)


class MatchFilter(django_filters.FilterSet):
    policy = django_filters.NumberFilter(label=_("政策"), field_name="policy_id")
    enterprise = django_filters.NumberFilter(label=_("企业"), field_name="enterprise_id")
    verdict = django_filters.ChoiceFilter(label=_("匹配结论"), choices=MatchVerdict.choices)

    class Meta:
        model = PolicyMatch
        fields: list[str] = []


class PolicyMatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Stored matches (一键智配 results) of the enterprises the caller may see; one match with
    its explanation, condition by condition."""

    serializer_class = PolicyMatchSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MatchFilter
    read_roles = READERS

    def get_queryset(self) -> QuerySet[PolicyMatch]:
        return (
            matches_visible(self.request.user)
            .select_related("policy", "enterprise", "version")
            .order_by("pk")
        )

    def get_object(self) -> PolicyMatch:
        match = access_match(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, match)
        return match

    @extend_schema(responses={200: ExplanationSerializer})
    @action(detail=True, methods=["get"], url_path="explanation", url_name="explanation")
    def explanation(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Why the enterprise fits (or may fit) the policy today, condition by condition in
        the caller's language: the condition, the enterprise's figure with its source and
        year, and whether it is met; groups of conditions indented, negations said
        positively. `lines` gives the sentences as text, `conditions` each line in words and
        figures."""
        words = queries.explain_match(self.get_object(), day=timezone.localdate())
        return Response(words.as_data())


class FulfilmentFilter(django_filters.FilterSet):
    policy = django_filters.NumberFilter(label=_("政策"), field_name="policy_id")
    enterprise = django_filters.NumberFilter(label=_("企业"), field_name="enterprise_id")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=FulfilmentState.choices)
    period = django_filters.NumberFilter(label=_("兑现年度"))

    class Meta:
        model = Fulfilment
        fields: list[str] = []


class FulfilmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The fulfilment ledger (承诺兑现): entries, their history, and their steps."""

    serializer_class = FulfilmentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FulfilmentFilter
    read_roles = READERS
    write_roles = READERS  # which steps a caller may take is the ledger table's business

    def get_queryset(self) -> QuerySet[Fulfilment]:
        return (
            fulfilments_visible(self.request.user)
            .select_related("policy", "enterprise")
            .prefetch_related("events__actor")
            .order_by("-period", "pk")
        )

    def get_object(self) -> Fulfilment:
        entry = access_fulfilment(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, entry)
        return entry

    @extend_schema(
        request=StepSerializer,
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=FulfilmentAction.values)
        ],
        responses={200: FulfilmentSerializer, 409: OpenApiResponse(response=ErrorSerializer)},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)", url_name="step")
    def step(self, request: Request, *args: Any, name: str = "", **kwargs: Any) -> Response:
        """Take one ledger step with the version last read: 409 when stale or not allowed (with
        the allowed steps), 400 with field errors for bad input."""
        entry = self.get_object()
        if name not in actions.STEP_ACTIONS:
            raise Http404
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = data.pop("expected_version")
        try:
            updated = actions.STEP_ACTIONS[name](
                fulfilment=entry,
                actor=_actor(request),
                expected_version=expected,
                **actions.step_input(name, data),
            )
        except StaleVersion as exc:
            body = error_body("stale", exc.message)
            body["error"]["current_version"] = exc.current_version
            return Response(body, status=status.HTTP_409_CONFLICT)
        except TransitionNotAllowed as exc:
            body = error_body("not_allowed", exc.message)
            body["error"]["allowed_actions"] = [{"code": a.value, "label": str(a.label)} for a in exc.allowed]
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(FulfilmentSerializer(self.get_queryset().get(pk=updated.pk)).data)

    @extend_schema(request=ApplicationSerializer, responses={201: FulfilmentSerializer})
    @action(detail=False, methods=["post"], url_path="applications", url_name="applications")
    def applications(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """An enterprise account applies online for a policy it fits or may fit."""
        user = _actor(request)
        enterprise = getattr(user, "enterprise", None)
        if enterprise is None:
            body = error_body("permission_denied", str(_("只有企业账号可以在线申报")))
            return Response(body, status=status.HTTP_403_FORBIDDEN)
        serializer = ApplicationSerializer(data=request.data, policies=policies_visible(user))
        serializer.is_valid(raise_exception=True)
        entry = actions.apply_for_policy(
            policy=serializer.validated_data["policy"],
            enterprise=enterprise,
            actor=user,
            text=serializer.validated_data["text"],
            name=serializer.validated_data.get("name", ""),
            phone=serializer.validated_data.get("phone", ""),
        )
        return Response(
            FulfilmentSerializer(self.get_queryset().get(pk=entry.pk)).data, status=status.HTTP_201_CREATED
        )
