"""Facts about the HTTP request that several apps need alike."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address of the browser that sent `request`. Behind `LIANQI_PROXY_COUNT` reverse
    proxies (nginx in production) it is that many entries from the right of X-Forwarded-For:
    entries further left are whatever the client wrote and cannot be trusted. Login lockouts
    (django-axes) and the one-time code limits both key on it."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "LIANQI_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
