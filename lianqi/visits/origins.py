"""Where a demand came from, when a visit's answer raised it: told to the demands' page and API
through core's origin registry (`core.registry.OriginProvider`), since demands sit below
visits and never import them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqi.core.registry import Origin, OriginProvider
from lianqi.core.roles import has_role
from lianqi.core.views import url_if_allowed

from .models import RaisedDemand
from .permissions import READERS, visible_visits


def demand_origin(user: Any, demand: Any) -> Origin | None:
    """The visit that raised `demand` (its campaign, day and liaison, and the answer), or None
    for a demand raised otherwise. The visit's page and endpoint are linked only for a user who
    may open that visit: a department handling the demand does not always see the visit."""
    raised = (
        RaisedDemand.objects.filter(demand_id=demand.pk)
        .select_related("visit__campaign", "visit__liaison", "visit__enterprise")
        .first()
    )
    if raised is None:
        return None
    visit = raised.visit
    text = _("%(campaign)s · %(day)s · %(who)s") % {
        "campaign": visit.campaign.title if visit.campaign else _("日常走访"),
        "day": f"{timezone.localtime(visit.checked_in_at):%Y-%m-%d}",
        "who": visit.liaison.name if visit.liaison else visit.enterprise.name,
    }
    if not visible_visits(user).filter(pk=visit.pk).exists():
        return Origin("visit", gettext_lazy("来源走访"), text)
    return Origin(
        "visit",
        gettext_lazy("来源走访"),
        text,
        id=visit.pk,
        url=url_if_allowed(user, "visits:visit_detail", visit.pk) or "",
        api_url=reverse("api:visit-detail", args=[visit.pk]) if has_role(user, READERS) else "",
    )


PROVIDERS = (OriginProvider("visits", "demands.Demand", demand_origin, order=10),)
