"""The user's inbox of in-app messages. Every user with an account has one and sees only their
own: a message is loaded through `permissions.access_notification`, so another user's message
is a 404, exactly like one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.views import paginate

from . import actions, queries
from .permissions import access_notification


class InboxView(LoginRequiredMixin, View):
    """The user's messages, unread first, with the way to the demand each one is about."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        context = paginate(request, queries.inbox_page_for(user), default_size=30)
        context["unread_count"] = queries.unread_for(user).count()
        context["query_string"] = ""
        return render(request, "notifications/inbox.html", context)


class NotificationReadView(LoginRequiredMixin, View):
    """Mark one message read; with `open` in the form, go on to what it is about."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = access_notification(request.user, pk)
        actions.mark_read(notification=notification, user=acting_user(request), at=timezone.now())
        link = notification.link
        if "open" in request.POST and link and _is_local(request, link):
            return HttpResponseRedirect(link)
        return redirect("notifications:inbox")


class NotificationReadAllView(LoginRequiredMixin, View):
    """Mark every unread message of the user read."""

    def post(self, request: HttpRequest) -> HttpResponse:
        count = actions.mark_all_read(user=acting_user(request), at=timezone.now())
        if count:
            messages.success(request, _("已将 %(count)s 条消息标为已读") % {"count": count})
        return redirect("notifications:inbox")


def _is_local(request: HttpRequest, link: str) -> bool:
    # A stored link is ours, but it is still only followed inside this site.
    return url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
