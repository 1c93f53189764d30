"""What this wing adds to the home page: the service office's count of items under way,
counted on what the user may see, leading to the list."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role

from . import queries


def _office(user: Any) -> Section:
    card = Card(_("在办事项"), queries.open_count(user), link("approvals:list"))
    return Section(role=Role.SERVICE_OFFICE, title="", cards=[card])


PARTS = (DashboardPart("approvals.office", Role.SERVICE_OFFICE, _office, order=60),)
