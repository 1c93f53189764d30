"""What the liaison layout adds to the home pages: coverage for the leader, and for the office
the enterprises still without a liaison and the latest changes."""

from __future__ import annotations

from typing import Any

from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Panel, Row, Section, link, percent
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role
from lianqi.enterprises.dashboards import enterprise_rows

from .permissions import visible
from .queries import active_enterprises, coverage_of, uncovered


def leader_coverage(user: Any) -> Section:
    total, missing = coverage_of(active_enterprises(user))
    return Section(
        role=Role.LEADER,
        title="",
        cards=[
            Card(
                _("联企覆盖率"),
                percent(total - missing, total),
                link("liaisons:coverage"),
                hint=_("未覆盖 %(n)d 家") % {"n": missing} if missing else _("全部覆盖"),
                tone="danger" if missing else "success",
            )
        ],
    )


def office_coverage(user: Any) -> Section:
    missing = uncovered(user)
    changes = visible(user).select_related("enterprise", "from_staff", "to_staff").order_by("-at", "-pk")[:8]
    change_rows = [
        Row(
            c.enterprise.name,
            link("enterprises:detail", c.enterprise_id),
            f"{c.from_staff or '—'} → {c.to_staff or '—'} · {c.get_method_display()} · {localtime(c.at):%m-%d %H:%M}",
        )
        for c in changes
    ]
    count = missing.count()
    return Section(
        role=Role.SERVICE_OFFICE,
        title="",
        cards=[
            Card(
                _("未覆盖企业"),
                count,
                link("liaisons:coverage") or link("enterprises:list", query="uncovered=true"),
                tone="danger" if count else "success",
            )
        ],
        panels=[
            Panel(
                _("未覆盖企业"),
                enterprise_rows(missing),
                _("所有企业都有联企干部。"),
                link("liaisons:coverage"),
            ),
            Panel(_("最近的联企干部变更"), change_rows, _("暂无变更。")),
        ],
    )


PARTS = (
    # The leader's headline figures open on coverage, before the year's demand figures.
    DashboardPart("liaisons.leader", Role.LEADER, leader_coverage, order=1),
    DashboardPart("liaisons.office", Role.SERVICE_OFFICE, office_coverage, order=10),
)
