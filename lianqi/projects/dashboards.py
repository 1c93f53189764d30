"""What key projects add to the home page: the leader's completion of this year's plan and the
office's count of slipped projects, each leading to the portfolio dashboard."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role

from . import queries


def _cards(user: Any, role: Role) -> Section:
    today = timezone.localdate()
    figures = queries.portfolio(user, today.year, today)
    completion = figures["total"].completion
    cards = [
        Card(
            _("重点项目投资完成率"),
            f"{completion}%" if completion is not None else "—",
            link("projects:dashboard"),
        ),
        Card(_("节点滞后项目"), len(figures["slipped"]), link("projects:dashboard")),
    ]
    return Section(role=role, title="", cards=cards)


def _leader(user: Any) -> Section:
    return _cards(user, Role.LEADER)


def _office(user: Any) -> Section:
    return _cards(user, Role.SERVICE_OFFICE)


PARTS = (
    DashboardPart("projects.leader", Role.LEADER, _leader, order=60),
    DashboardPart("projects.office", Role.SERVICE_OFFICE, _office, order=60),
)
