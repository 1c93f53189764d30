"""The page an enterprise's code (营商码) opens, for anyone who scans it, without login, and what
every page under `/c/<token>/` shares.

The code is printed on the factory gate, so the token alone shows only what could be printed
there: the enterprise's name, its liaison's name and phone, and the services the apps register
on it (`lianqi.core.registry.CodeTile`). Everything else is private to the enterprise and asks
who is looking (`CodeTokenMixin.access`):

- ``PUBLIC``: anyone holding the code (this page, confirming a phone);
- ``FILER``: anyone who confirmed a phone by SMS code in this browser — they may file, and they
  see only what was filed from that phone;
- ``MEMBER``: the enterprise itself — someone who confirmed one of the enterprise's registered
  phones (`queries.is_registered_phone`), or a logged-in user of the enterprise (who never
  needs a code).

A page that forgets to say is ``MEMBER``: private by default. A replaced code and an unknown
code each get a plain page that names no enterprise."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core import registry
from lianqi.core.forms import add_action_errors
from lianqi.core.http import client_address
from lianqi.core.privacy import Holder, PhonePolicy, Tie, mask_phone
from lianqi.core.sms import shown_on_screen

from .. import actions, otp
from ..forms.code import PhoneCodeForm
from ..models import Enterprise
from ..queries import enterprise_by_token, is_registered_phone, token_retired


class CodeAccess(enum.Enum):
    """Who may open a page under the code (see the module's docstring)."""

    PUBLIC = "public"
    FILER = "filer"
    MEMBER = "member"


@dataclass(frozen=True)
class CodeViewer:
    """Who is using the code in this browser: their name and phone, whether they are the
    enterprise itself (`member`) or someone who only confirmed a phone to file, and the
    enterprise's user `account` when they are logged in (steps are then taken as that user)."""

    name: str
    phone: str
    member: bool
    account: Any = None


def no_store(response: HttpResponseBase) -> HttpResponseBase:
    # A code page must always show today's liaison and today's progress, a replaced code must
    # never be served from a cache as if it still worked, and a private page must not stay in
    # a shared device's cache after its two hours.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class CodeTokenMixin(View):
    """Resolves `<token>` before any handler runs: the current token sets `self.enterprise`,
    a retired one answers 410 and anything else 404, each with a plain page naming no
    enterprise. Then the page's `access` is checked: someone not yet confirmed is sent to
    confirm a phone and brought back. Every response is marked not to be stored."""

    access: ClassVar[CodeAccess] = CodeAccess.MEMBER
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
        refused = self.refuse()
        if refused is not None:
            return no_store(refused)
        return no_store(super().dispatch(request, *args, **kwargs))

    def refuse(self) -> HttpResponse | None:
        """Off to confirm a phone when this page needs more than the viewer has shown."""
        if self.access is CodeAccess.PUBLIC:
            return None
        viewer = self.contact()
        if viewer is None:
            messages.info(self.request, _("请先验证手机号"))
            return self.to_confirm(self.request.get_full_path())
        if self.access is CodeAccess.MEMBER and not viewer.member:
            messages.info(self.request, _("查看企业的诉求、政策和数据，请验证企业在园区登记的联系人手机号"))
            return self.to_confirm(self.request.get_full_path(), registered=True)
        return None

    def contact(self) -> CodeViewer | None:
        """Who this browser is for this code: a logged-in user of the enterprise, else the phone
        confirmed with a one-time code if still fresh, else nobody."""
        user = self.request.user
        if user.is_authenticated and getattr(user, "enterprise_id", None) == self.enterprise.pk:
            return CodeViewer(
                name=str(user), phone=getattr(user, "phone", "") or "", member=True, account=user
            )
        confirmed = otp.confirmed_phone(self.request.session, token=self.token, at=timezone.now())
        if confirmed is None:
            return None
        return CodeViewer(name=confirmed.name, phone=confirmed.phone, member=confirmed.registered)

    def is_member(self) -> bool:
        viewer = self.contact()
        return viewer is not None and viewer.member

    def to_confirm(self, next_url: str, *, registered: bool = False) -> HttpResponse:
        """Off to confirm a phone first, then back to `next_url` (a page under this code)."""
        target = reverse("codes:confirm_phone", args=[self.token])
        query = {"next": next_url, **({"registered": "1"} if registered else {})}
        return redirect(f"{target}?{urlencode(query)}")

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


def _entry_points(enterprise: Enterprise, *, member: bool) -> list[dict[str, Any]]:
    """The code page's entry points, as the apps registered them (`registry.CodeTile`). How
    many items are under way is the enterprise's own business: counted only for a member."""
    return [
        {
            "key": tile.key,
            "title": tile.label,
            "text": tile.text,
            "url": reverse(tile.url_name, args=[enterprise.code_token]) if tile.url_name else None,
            "count": tile.count(enterprise) if member and tile.count is not None and tile.url_name else None,
        }
        for tile in registry.code_tiles()
        if tile.available is None or tile.available(enterprise)
    ]


class PublicCodeView(CodeTokenMixin):
    """`/c/<token>/`: the current token shows the enterprise's page, a retired one answers 410,
    anything else 404."""

    access = CodeAccess.PUBLIC

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        liaison = self.enterprise.liaison
        # Whoever holds the code speaks for the enterprise, and the plate is printed so that
        # they can call their liaison: the rule shows them the liaison's work phone.
        phones = PhonePolicy(request.user, Holder.STAFF)
        context = {
            **self.base_context(),
            "liaison": liaison,
            "liaison_phone": phones.show(liaison.phone, (Tie.OUR_LIAISON,)) if liaison else "",
            "entry_points": _entry_points(self.enterprise, member=self.is_member()),
        }
        return render(request, "enterprises/code_public.html", context)


class CodePhoneConfirmView(CodeTokenMixin):
    """`/c/<token>/confirm/`: the person's name and mobile, a one-time code sent to it, then
    back to where they were going (`next`, only within this code's pages). Confirming one of
    the enterprise's registered phones makes the browser a member for two hours."""

    access = CodeAccess.PUBLIC

    def next_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        prefix = reverse("codes:public", args=[self.token])
        if target.startswith(prefix) and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return target
        return prefix

    def show(self, form: PhoneCodeForm, *, sent_to: str = "", phone: str = "") -> HttpResponse:
        context = {
            **self.base_context(),
            "form": form,
            "next": self.next_url(),
            "sent_to": sent_to,
            "registered_needed": (self.request.POST.get("registered") or self.request.GET.get("registered"))
            == "1",
            # Only the demo's on-screen sender answers here; a real gateway leaves it empty.
            "demo_sms": shown_on_screen(phone) if sent_to else "",
        }
        return render(self.request, "enterprises/code_confirm.html", context)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.show(PhoneCodeForm())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        form = PhoneCodeForm(request.POST)
        if not form.is_valid():
            return self.show(form)
        data = form.cleaned_data
        if request.POST.get("step") == "send":
            try:
                actions.send_phone_code(
                    enterprise=self.enterprise,
                    name=data["name"],
                    phone=data["phone"],
                    client_address=client_address(request),
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
                return self.show(form)
            return self.show(form, sent_to=mask_phone(data["phone"]), phone=data["phone"])
        try:
            row = actions.verify_phone_code(
                enterprise=self.enterprise, phone=data["phone"], code=data["code"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
            return self.show(form, sent_to=mask_phone(data["phone"]))
        registered = is_registered_phone(self.enterprise, row.phone)
        otp.remember(
            request.session,
            token=self.token,
            name=data["name"],
            phone=row.phone,
            at=timezone.now(),
            registered=registered,
        )
        # A new login-like step: a fresh session key, so a key planted before cannot ride along.
        request.session.cycle_key()
        if registered:
            messages.success(request, _("手机号已验证，可查看本企业的诉求和政策"))
        else:
            messages.success(
                request, _("手机号已验证。此号码不是企业登记的联系电话，只能查看本号码提交的诉求")
            )
        return redirect(self.next_url())
