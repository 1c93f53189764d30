"""What the credit work adds to the home page: the service office's count of repairs waiting
on someone, counted on what the user may see, leading to the repairs' list."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role

from . import queries


def _office(user: Any) -> Section:
    card = Card(_("在办信用修复"), queries.open_repairs_count(user), link("credit:repairs"))
    return Section(role=Role.SERVICE_OFFICE, title="", cards=[card])


PARTS = (DashboardPart("credit.office", Role.SERVICE_OFFICE, _office, order=60),)
