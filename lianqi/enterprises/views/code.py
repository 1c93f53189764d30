"""The page an enterprise's code (营商码) opens, for anyone who scans it, without login: who the
enterprise's liaison is and how to reach them, and the services the apps register on it
(`lianqi.core.registry.CodeTile`: 诉求, 政策 …). A replaced code and an unknown code each get a plain page that names no enterprise.
Every page under `/c/<token>/` resolves its token through `CodeTokenMixin`, so they all answer
a replaced or unknown code the same way."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from lianqi.core import registry
from lianqi.core.privacy import Holder, PhonePolicy, Tie

from .. import otp
from ..models import Enterprise
from ..queries import enterprise_by_token, token_retired


def no_store(response: HttpResponseBase) -> HttpResponseBase:
    # A code page must always show today's liaison and today's progress, and a replaced code
    # must never be served from a cache as if it still worked.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class CodeTokenMixin(View):
    """Resolves `<token>` before any handler runs: the current token sets `self.enterprise`,
    a retired one answers 410 and anything else 404, each with a plain page naming no
    enterprise. Every response is marked not to be stored."""

    enterprise: Enterprise
    token: str

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        token = kwargs["token"]
        enterprise = enterprise_by_token(token)
        if enterprise is None:
            if token_retired(token):
                return no_store(render(request, "enterprises/code_replaced.html", status=410))
            return no_store(render(request, "enterprises/code_unknown.html", status=404))
        self.enterprise = enterprise
        self.token = token
        return no_store(super().dispatch(request, *args, **kwargs))

    def contact(self) -> otp.ConfirmedPhone | None:
        """The phone this browser confirmed for this code with a one-time code, if still fresh."""
        return otp.confirmed_phone(self.request.session, token=self.token, at=timezone.now())

    def to_confirm(self, next_url: str) -> HttpResponse:
        """Off to confirm a phone first, then back to `next_url` (a page under this code)."""
        target = reverse("codes:confirm_phone", args=[self.token])
        return redirect(f"{target}?{urlencode({'next': next_url})}")

    def base_context(self) -> dict[str, Any]:
        """What every page under the code shows in its header (`enterprises/code_header.html`)."""
        contact = self.contact()
        return {
            "enterprise": self.enterprise,
            "token": self.token,
            "contact": contact,
            # Shown on a page anyone holding the code may open: the rule for the public.
            "contact_phone": PhonePolicy(self.request.user, Holder.CONTACT).show(contact.phone)
            if contact
            else "",
        }


def _entry_points(enterprise: Enterprise) -> list[dict[str, Any]]:
    """The code page's entry points, as the apps registered them (`registry.CodeTile`)."""
    return [
        {
            "key": tile.key,
            "title": tile.label,
            "text": tile.text,
            "url": reverse(tile.url_name, args=[enterprise.code_token]) if tile.url_name else None,
            "count": tile.count(enterprise) if tile.count is not None and tile.url_name else None,
        }
        for tile in registry.code_tiles()
    ]


class PublicCodeView(CodeTokenMixin):
    """`/c/<token>/`: the current token shows the enterprise's page, a retired one answers 410,
    anything else 404."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        liaison = self.enterprise.liaison
        # Whoever holds the code speaks for the enterprise, and the plate is printed so that
        # they can call their liaison: the rule shows them the liaison's work phone.
        phones = PhonePolicy(request.user, Holder.STAFF)
        context = {
            "enterprise": self.enterprise,
            "liaison": liaison,
            "liaison_phone": phones.show(liaison.phone, (Tie.OUR_LIAISON,)) if liaison else "",
            "entry_points": _entry_points(self.enterprise),
        }
        return render(request, "enterprises/code_public.html", context)
