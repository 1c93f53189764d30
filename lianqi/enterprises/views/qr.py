"""The enterprise's code (营商码) on the staff side: its images to download or print, and
replacing it. The public pages the code opens are `views.code`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.views import RoleRequiredMixin

from .. import actions, permissions, qr
from ..permissions import access_enterprise
from .register import back_to


class QrSvgView(RoleRequiredMixin, View):
    """The enterprise's code as SVG (sharp at any print size)."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        response = HttpResponse(
            qr.svg_bytes(qr.public_url(request, enterprise)), content_type="image/svg+xml"
        )
        if request.GET.get("download"):
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=True, filename=f"{_('营商码')}-{enterprise.name}.svg"
            )
        return response


class QrPngView(RoleRequiredMixin, View):
    """The enterprise's code as PNG (for chat groups and office software)."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        response = HttpResponse(qr.png_bytes(qr.public_url(request, enterprise)), content_type="image/png")
        if request.GET.get("download"):
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=True, filename=f"{_('营商码')}-{enterprise.name}.png"
            )
        return response


class QrPrintView(RoleRequiredMixin, View):
    """A page to print and post at the enterprise: its name, credit code and code."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        url = qr.public_url(request, enterprise)
        context = {
            "enterprise": enterprise,
            "public_url": url,
            # segno's own output: no user text inside, safe to embed.
            "qr_svg": mark_safe(qr.svg_inline(url, scale=10)),
        }
        return render(request, "enterprises/qr_print.html", context)


class RotateCodeView(RoleRequiredMixin, View):
    """Replace the enterprise's code; the old one then answers that it was replaced."""

    allowed_roles = permissions.EDIT_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        actions.rotate_code_token(enterprise=enterprise, actor=acting_user(request))
        messages.success(request, _("营商码已更换，请重新打印并张贴新码；旧码扫码后会提示已更换"))
        return back_to(enterprise, "code")
