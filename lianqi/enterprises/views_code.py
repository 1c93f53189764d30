"""The page an enterprise's code (营商码) opens, for anyone who scans it, without login: who the
enterprise's liaison is and how to reach them, and the services later modules add (诉求, 问卷,
涉企检查). A replaced code and an unknown code each get a plain page that names no enterprise."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from .models import Enterprise, RetiredCodeToken

#: What the code page will offer; each module that lands fills in its own entry point.
ENTRY_POINTS = (
    {"key": "demand", "title": _("诉求"), "text": _("码上填报诉求，随时查看办理进度，办结后评价")},
    {"key": "questionnaire", "title": _("问卷"), "text": _("填写走访活动的电子问卷")},
    {"key": "inspection", "title": _("涉企检查"), "text": _("查看入企检查的登记信息，检查须先登记再入企")},
)


def _no_store(response: HttpResponse) -> HttpResponse:
    # A code page must always show today's liaison, and a replaced code must never be served
    # from a cache as if it still worked.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class PublicCodeView(View):
    """`/c/<token>/`: the current token shows the enterprise's page, a retired one answers 410,
    anything else 404."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        enterprise = (
            Enterprise.objects.select_related("liaison", "liaison__department")
            .filter(code_token=token)
            .first()
        )
        if enterprise is not None:
            context = {"enterprise": enterprise, "liaison": enterprise.liaison, "entry_points": ENTRY_POINTS}
            return _no_store(render(request, "enterprises/code_public.html", context))
        if RetiredCodeToken.objects.filter(token=token).exists():
            return _no_store(render(request, "enterprises/code_replaced.html", status=410))
        return _no_store(render(request, "enterprises/code_unknown.html", status=404))
