"""What the organisation adds to the home pages: staff and departments for the leader, the
handler's own department and its members."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Panel, Row, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role

from .permissions import departments_visible, staff_visible
from .queries import department_staff, departments_in_use, own_staff, staff_in_post


def leader_figures(user: Any) -> Section:
    return Section(
        role=Role.LEADER,
        title="",
        cards=[
            Card(_("在岗干部"), staff_in_post(staff_visible(user)).count(), link("org:staff")),
            Card(_("部门数"), departments_in_use(departments_visible(user)).count(), link("org:departments")),
        ],
    )


def handler_department(user: Any) -> Section:
    staff = own_staff(user)
    department = staff.department if staff is not None else None
    if department is None:
        return Section(
            role=Role.DEPARTMENT_HANDLER, title="", text=_("您的账号尚未绑定部门干部，请联系管理员。")
        )
    members = department_staff(department).order_by("name")
    return Section(
        role=Role.DEPARTMENT_HANDLER,
        title=department.name,
        cards=[
            Card(_("本部门在岗干部"), members.count(), link("org:staff", query=f"department={department.pk}"))
        ],
        panels=[
            Panel(
                _("本部门干部"),
                [
                    Row(
                        m.name,
                        link("org:staff_detail", m.pk),
                        _("联系企业 %(n)d 家") % {"n": getattr(m, "enterprise_count", 0)},
                    )
                    for m in members[:12]
                ],
                _("本部门暂无在岗干部。"),
                link("org:staff", query=f"department={department.pk}"),
            )
        ],
    )


PARTS = (
    DashboardPart("org.leader", Role.LEADER, leader_figures, order=30),
    DashboardPart("org.department", Role.DEPARTMENT_HANDLER, handler_department, order=10),
)
