"""Bank–enterprise matching events (银企对接会): the list with each event's figures, and one
event with its institutions and agreements."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from lianqi.core.roles import Role
from lianqi.core.views import RoleRequiredMixin

from .. import queries
from ..permissions import MANAGERS, access_event

EVENT_READERS = (*MANAGERS, Role.FINANCE)


class EventListView(RoleRequiredMixin, View):
    """Every event the user may see: firms, agreements, amount signed and lent since."""

    allowed_roles = EVENT_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "finance/event_list.html", {"events": queries.events_with_figures(request.user)}
        )


class EventDetailView(RoleRequiredMixin, View):
    """One event: its institutions, its agreements and its figures."""

    allowed_roles = EVENT_READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = access_event(request.user, pk)
        context = {
            "event": event,
            "figures": queries.event_figures(event),
            "institutions": event.institutions.order_by("name"),
            "agreements": event.agreements.select_related("enterprise", "institution").order_by(
                "-amount_fen", "pk"
            ),
        }
        return render(request, "finance/event_detail.html", context)
