"""The enterprise's code (营商码) as a QR image. The code carries only the public URL
`/c/<token>/`; the token is unguessable and can be rotated, so a printed code can be withdrawn."""

from __future__ import annotations

import io

import segno
from django.http import HttpRequest
from django.urls import reverse

from .models import Enterprise


def public_path(enterprise: Enterprise) -> str:
    return reverse("codes:public", args=[enterprise.code_token])


def public_url(request: HttpRequest, enterprise: Enterprise) -> str:
    """The absolute URL the QR code opens, built from the request so that it names the host
    the park actually serves Lianqi on."""
    return request.build_absolute_uri(public_path(enterprise))


def _make(url: str) -> segno.QRCode:
    # Level M survives a smudged or partly covered print, which posted codes often are.
    return segno.make(url, error="m", micro=False)


def svg_bytes(url: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    _make(url).save(buffer, kind="svg", scale=scale, border=2, xmldecl=False)
    return buffer.getvalue()


def svg_inline(url: str, scale: int = 8) -> str:
    """SVG markup to embed in a page (no XML declaration, no namespace)."""
    return str(_make(url).svg_inline(scale=scale, border=2))


def png_bytes(url: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    _make(url).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
