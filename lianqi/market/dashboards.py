"""What the market adds to the home page: for the service office, the introductions under way
and this year's matching events with their deals' amount."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role
from lianqi.policies.money import wan_text

from . import queries


def _office(user: Any) -> Section:
    year = queries.year_figures(user, timezone.localdate().year)
    cards = [
        Card(_("对接跟进中"), queries.open_count(user), link("market:introductions")),
        Card(_("本年对接会"), year["events"], link("market:fairs")),
        Card(_("对接会签约（万元）"), wan_text(year["amount"]), link("market:fairs")),
    ]
    return Section(role=Role.SERVICE_OFFICE, title=_("供需对接"), cards=cards)


PARTS = (DashboardPart("market.office", Role.SERVICE_OFFICE, _office, order=60),)
