"""What this wing adds to the home page: the service office's count of inspections under way,
leading to the list, and the enterprises inspected repeatedly this month (重复检查预警),
each leading to its inspections; for the office and a department handler, the rectification
orders past their deadline with no follow-up (逾期未整改), each leading to its inspection."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqi.core.dashboards import Card, Panel, Row, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role

from . import queries


def _office(user: Any) -> Section:
    card = Card(gettext_lazy("待入企的执法检查"), queries.open_count(user), link("inspections:list"))
    repeated = queries.repeated_this_month(user)
    rows = [
        Row(
            row["enterprise__name"],
            link("inspections:list", query=f"enterprise={row['enterprise_id']}"),
            _("本月 %(count)s 次") % {"count": row["n"]},
        )
        for row in repeated
    ]
    panel = Panel(
        gettext_lazy("本月多次受检企业"),
        rows,
        empty=gettext_lazy("本月没有企业被检查两次以上"),
        more_url=link("inspections:statistics"),
    )
    return Section(role=Role.SERVICE_OFFICE, title="", cards=[card], panels=[panel, _overdue(user)])


def _overdue(user: Any) -> Panel:
    """The rectification orders past their deadline with no follow-up, each leading to its
    inspection (where the follow-up is recorded)."""
    rows = [
        Row(
            f"{row.enterprise.name} · {row.department.name}",
            link("inspections:detail", row.pk),
            _("整改期限 %(day)s 已过") % {"day": row.rectification_due_on.isoformat()},
        )
        for row in queries.overdue_rectifications(user)
        if row.rectification_due_on is not None
    ]
    return Panel(
        gettext_lazy("逾期未整改"),
        rows,
        empty=gettext_lazy("没有逾期未整改的检查"),
        more_url=link("inspections:statistics"),
    )


def _department(user: Any) -> Section:
    return Section(role=Role.DEPARTMENT_HANDLER, title="", panels=[_overdue(user)])


PARTS = (
    DashboardPart("inspections.office", Role.SERVICE_OFFICE, _office, order=60),
    DashboardPart("inspections.department", Role.DEPARTMENT_HANDLER, _department, order=60),
)
