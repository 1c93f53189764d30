"""The user's inbox of in-app messages. Every user with an account has one and sees only their
own: a message is loaded through `queries.inbox_for(request.user)`, so another user's message
is a 404, exactly like one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.views import paginate

from . import actions, queries


class InboxView(LoginRequiredMixin, View):
    """The user's messages, unread first, with the way to the demand each one is about."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = paginate(request, queries.inbox_page_for(request.user), default_size=30)  # type: ignore[arg-type]
        context["unread_count"] = queries.unread_for(request.user).count()  # type: ignore[arg-type]
        context["query_string"] = ""
        return render(request, "notifications/inbox.html", context)


class NotificationReadView(LoginRequiredMixin, View):
    """Mark one message read; with `open` in the form, go on to what it is about."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = get_object_or_404(queries.inbox_for(request.user), pk=pk)  # type: ignore[arg-type]
        actions.mark_read(notification=notification, user=request.user, at=timezone.now())  # type: ignore[arg-type]
        link = notification.link
        if "open" in request.POST and link and _is_local(request, link):
            return HttpResponseRedirect(link)
        return redirect("notifications:inbox")


class NotificationReadAllView(LoginRequiredMixin, View):
    """Mark every unread message of the user read."""

    def post(self, request: HttpRequest) -> HttpResponse:
        count = actions.mark_all_read(user=request.user, at=timezone.now())  # type: ignore[arg-type]
        if count:
            messages.success(request, _("已将 %(count)s 条消息标为已读") % {"count": count})
        return redirect("notifications:inbox")


def _is_local(request: HttpRequest, link: str) -> bool:
    # A stored link is ours, but it is still only followed inside this site.
    return url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
