"""What approvals adds to the home page: the runs under way and the broken 容缺 promises, counted
on what the user may see, leading to the list."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role

from . import queries


def _cards(user: Any, role: str) -> Section:
    cards = [
        Card(_("审批中的项目"), queries.open_count(user), link("approvals:list")),
        Card(
            _("容缺逾期未补齐"),
            queries.overdue_promise_count(user, timezone.localdate()),
            link("approvals:list"),
        ),
    ]
    return Section(role=role, title="", cards=cards)


def _office(user: Any) -> Section:
    return _cards(user, Role.SERVICE_OFFICE)


def _leader(user: Any) -> Section:
    return _cards(user, Role.LEADER)


PARTS = (
    DashboardPart("approvals.office", Role.SERVICE_OFFICE, _office, order=62),
    DashboardPart("approvals.leader", Role.LEADER, _leader, order=62),
)
