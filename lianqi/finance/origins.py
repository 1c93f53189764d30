"""Where a demand came from, told to the demands app through core's origin registry: a demand
raised from a stalled financing application names that application (its institution, product
and amount), linked only for a user who may open it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqi.core.registry import Origin, OriginProvider
from lianqi.core.roles import has_role
from lianqi.core.views import url_if_allowed

from .models import Application
from .money import wan_text
from .permissions import READERS, visible


def demand_origin(user: Any, demand: Any) -> Origin | None:
    """The application `demand` was raised from, or None."""
    application = (
        Application.objects.filter(demand_id=demand.pk).select_related("institution", "product").first()
    )
    if application is None:
        return None
    text = _("%(institution)s · %(product)s · %(amount)s 万元") % {
        "institution": application.institution.name,
        "product": application.product.name,
        "amount": wan_text(application.amount_fen),
    }
    label = gettext_lazy("来源融资申请")
    if not visible(user).filter(pk=application.pk).exists():
        return Origin("finance_application", label, text)
    return Origin(
        "finance_application",
        label,
        text,
        id=application.pk,
        url=url_if_allowed(user, "finance:application", application.pk) or "",
        api_url=reverse("api:finance-application-detail", args=[application.pk])
        if has_role(user, READERS)
        else "",
    )


PROVIDERS = (OriginProvider("finance", "demands.Demand", demand_origin, order=20),)
