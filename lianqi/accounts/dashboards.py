"""What account administration adds to the administrator's home page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role

from .permissions import visible
from .queries import locked_attempts


def accounts_overview(user: Any) -> Section:
    users = visible(user)
    locked = locked_attempts(users.values("username")).count()
    return Section(
        role=Role.ADMIN,
        title="",
        cards=[
            Card(_("账号"), users.count(), link("accounts:users")),
            Card(
                _("已停用账号"),
                users.filter(is_active=False).count(),
                link("accounts:users", query="active=0"),
            ),
            Card(
                _("登录锁定"),
                locked,
                link("accounts:users"),
                hint=_("按账号与地址计"),
                tone="danger" if locked else "",
            ),
        ],
    )


PARTS = (DashboardPart("accounts.admin", Role.ADMIN, accounts_overview, order=10),)
