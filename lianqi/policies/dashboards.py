"""What the policy supermarket adds to the home pages: for an enterprise, the policies it fits
and where its applications stand, after its own demands and before its liaison."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Panel, Row, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role

from . import queries
from .choices import FulfilmentState
from .permissions import own_enterprise

#: Applications the park still has to decide or pay: the enterprise waits on them.
IN_PROGRESS = (FulfilmentState.APPLIED, FulfilmentState.REVIEWED, FulfilmentState.APPROVED)


def enterprise_policies(user: Any) -> Section | None:
    """The enterprise's policies: how many it fits (as the last re-matching stored them, leading
    to 一键智配 with the reasons), its applications in progress, and its latest ledger entries."""
    enterprise = own_enterprise(user)
    if enterprise is None:
        return None
    entries = queries.entries_of(enterprise).select_related("policy")
    rows = [
        Row(
            str(entry.policy.title_with_level),
            # Its page under the enterprise's code shows the application and its steps.
            link("codes:policy_detail", enterprise.code_token, entry.policy_id),
            f"{entry.period} · {entry.get_state_display()}",
        )
        for entry in entries.exclude(state__in=(FulfilmentState.MATCHED, FulfilmentState.NOTIFIED))[:6]
    ]
    return Section(
        role=Role.ENTERPRISE,
        title="",
        cards=[
            Card(_("可享受的政策"), queries.eligible_count(enterprise), link("policies:for_me")),
            Card(_("申报中"), entries.filter(state__in=IN_PROGRESS).count(), link("policies:for_me")),
        ],
        panels=[Panel(_("我的政策申报"), rows, _("贵企业还没有政策申报。"), link("policies:for_me"))],
    )


PARTS = (DashboardPart("policies.enterprise", Role.ENTERPRISE, enterprise_policies, order=5),)
