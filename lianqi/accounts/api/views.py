"""Obtaining an API token and describing the caller's own account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.accounts.actions import api_token
from lianqi.core.api.errors import InvalidCredentials, LockedOut
from lianqi.core.api.views import ApiView

from .serializers import MeSerializer, TokenRequestSerializer, TokenSerializer


class TokenView(ApiView):
    """Exchange a username and password for the user's API token.

    Authentication goes through `django.contrib.auth.authenticate` with the request, so
    django-axes counts failures and refuses a locked-out (username, address) pair exactly as
    on the login page."""

    permission_classes = [AllowAny]
    # No session authentication here: a browser's session would demand a CSRF token for a
    # request whose whole point is to present credentials.
    authentication_classes: list[Any] = []
    extra_error_codes = ("429",)

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request=request,  # type: ignore[arg-type]
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        # django-axes flags the request it was given; the flag stays on this DRF request, so
        # the axes middleware does not replace this JSON answer with its HTML lockout page.
        if getattr(request, "axes_locked_out", False):
            raise LockedOut
        if user is None or not user.is_active:
            raise InvalidCredentials
        # Counts as a login: axes resets the failure count and last_login is updated.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response(TokenSerializer({"token": api_token(user=user, actor=user)}).data)


class MeView(ApiView):
    """The caller: account, roles and jurisdiction."""

    read_roles = None

    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user, context={"request": request}).data)
