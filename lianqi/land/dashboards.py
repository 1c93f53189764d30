"""What the land supermarket adds to the home page: the service office's reservations waiting
on someone and the mu on the shelf, counted on what the user may see."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role

from . import queries
from .choices import ParcelStatus
from .permissions import visible_parcels


def _office(user: Any) -> Section:
    mu = visible_parcels(user).filter(state=ParcelStatus.AVAILABLE).aggregate(mu=Sum("area_mu"))["mu"]
    cards = [
        Card(_("在办用地预订"), queries.open_count(user), link("land:reservations")),
        Card(_("可供地（亩）"), f"{mu or Decimal(0):,.2f}", link("land:map", query="state=available")),
    ]
    return Section(role=Role.SERVICE_OFFICE, title="", cards=cards)


PARTS = (DashboardPart("land.office", Role.SERVICE_OFFICE, _office, order=60),)
