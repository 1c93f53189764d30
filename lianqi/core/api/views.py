"""Base classes every endpoint under /api/v1/ is built from.

They settle, once, what each app's endpoints would otherwise each have to remember:
- who may call: a role check (`read_roles` / `write_roles` / `action_roles`), then scoping by
  the app's `visible(user)`, so another jurisdiction's object answers 404;
- what may be asked: a query parameter that no filter, ordering or pagination understands is a
  400 naming it, rather than being silently ignored (a typo must not return unfiltered data);
- how it answers: JSON only, errors in one shape (see `lianqi.core.api.errors`), the error
  responses documented in the schema (see `lianqi.core.api.schema`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from lianqi.core.roles import STAFF_ROLES, has_role
from lianqi.core.scoping import get_object_or_404_scoped

from .errors import InvalidQuery
from .filters import filter_value_errors
from .parsers import LimitedJSONParser
from .schema import ErrorAwareAutoSchema

Roles = tuple[str, ...] | None


class RolePermission(BasePermission):
    """Admits an authenticated user who holds one of the roles the view names for the current
    action; `None` admits any authenticated user. Anonymous callers get 401 (DRF raises
    NotAuthenticated when no authenticator succeeded)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        roles = view.roles_for_request(request)
        return roles is None or has_role(request.user, roles)


def filterset_parameters(filterset: Any) -> set[str]:
    """The query parameter names a bound FilterSet reads, including the suffixed names of
    range widgets (`x_min`, `x_max`, `x_after` …)."""
    names: set[str] = set()
    for name, field in filterset.form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None)
        if suffixes:
            names.update(f"{name}_{suffix}" if suffix else name for suffix in suffixes)
        else:
            names.add(name)
    return names


class ApiView(APIView):
    """Role check, strict query parameters, JSON in and out, documented errors. Viewsets get
    the same through `ScopedViewSet`, plain endpoints subclass this directly."""

    permission_classes = [RolePermission]
    renderer_classes = [JSONRenderer]
    parser_classes = [LimitedJSONParser]
    schema = ErrorAwareAutoSchema()
    # OPTIONS would describe the write serializers without the request's scope; not needed.
    metadata_class = None

    #: Roles for safe methods; None means any authenticated user.
    read_roles: Roles = tuple(STAFF_ROLES)
    #: Roles for POST/PATCH/PUT/DELETE.
    write_roles: Roles = ()
    #: Overrides by viewset action name.
    action_roles: dict[str, Roles] = {}
    #: Actions besides `list` that answer a page (and so take `?page=` and `?page_size=`).
    paginated_actions: frozenset[str] = frozenset()

    def roles_for_request(self, request: Request) -> Roles:
        action = getattr(self, "action", None)
        if action in self.action_roles:
            return self.action_roles[action]
        return self.read_roles if request.method in SAFE_METHODS else self.write_roles

    def allowed_query_parameters(self, request: Request) -> set[str]:
        """What this request may carry in its query string."""
        allowed = {api_settings.URL_FORMAT_OVERRIDE or "format"}
        action = getattr(self, "action", None)
        if action != "list" and action not in self.paginated_actions:
            return allowed
        paginator = getattr(self, "paginator", None)
        if paginator is not None:
            allowed.add(paginator.page_query_param)
            if paginator.page_size_query_param:
                allowed.add(paginator.page_size_query_param)
        backends: Iterable[Any] = getattr(self, "filter_backends", ())
        for backend_class in backends:
            if issubclass(backend_class, DjangoFilterBackend):
                queryset = self.get_queryset()  # type: ignore[attr-defined]
                backend = backend_class()
                filterset = backend.get_filterset(request, queryset, self)
                if filterset is not None:
                    allowed |= filterset_parameters(filterset)
                    errors = filter_value_errors(filterset)
                    if errors:
                        raise InvalidQuery(errors, message=_("查询参数的值有误"))
            elif issubclass(backend_class, OrderingFilter):
                allowed.add(backend_class.ordering_param)
            elif issubclass(backend_class, SearchFilter):
                allowed.add(backend_class.search_param)
        return allowed

    def check_query_parameters(self, request: Request) -> None:
        allowed = self.allowed_query_parameters(request)
        unknown = sorted(set(request.query_params) - allowed)
        if not unknown:
            return
        known = "、".join(sorted(allowed))
        raise InvalidQuery(
            {name: [_("未知的查询参数；可用的参数：%(known)s") % {"known": known}] for name in unknown},
            message=_("未知的查询参数：%(names)s") % {"names": "、".join(unknown)},
        )

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # After authentication and the role check: an anonymous caller learns nothing about
        # which parameters an endpoint takes.
        self.check_query_parameters(request)


class ScopedViewSet(ApiView, GenericViewSet):
    """A viewset whose `get_queryset()` is already scoped to the user; objects are loaded only
    through `get_object_or_404_scoped`, so forbidden and missing look the same."""

    def get_object(self) -> Model:
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        obj = get_object_or_404_scoped(
            self.get_queryset(), **{self.lookup_field: self.kwargs[lookup_url_kwarg]}
        )
        self.check_object_permissions(self.request, obj)
        return obj
