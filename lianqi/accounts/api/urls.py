"""Routes of the accounts API, added to `lianqi.api` through the API registry."""

from __future__ import annotations

from django.urls import URLPattern, path

from .views import MeView, TokenView

urlpatterns: list[URLPattern] = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
]
