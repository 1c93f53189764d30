"""What the finance supermarket adds to the home page: for an institution's user, its work
queue (applications waiting on it, under due diligence, those past their acceptance or
decision deadline), which takes the
place of core's welcome to the role (registered under the same key); for the service office,
the applications under way and those overdue, leading to the overview."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role

from . import queries
from .choices import OPEN_STATES, ApplicationState
from .permissions import institutions_of, visible


def _bank(user: Any) -> Section:
    applications = visible(user)
    names = "、".join(institution.name for institution in institutions_of(user)) or getattr(
        user, "institution", ""
    )
    cards = [
        Card(
            _("待受理申请"),
            applications.filter(state=ApplicationState.SUBMITTED).count(),
            link("finance:applications", query=f"state={ApplicationState.SUBMITTED}"),
        ),
        Card(
            _("尽职调查中"),
            applications.filter(state=ApplicationState.DILIGENCE).count(),
            link("finance:applications", query=f"state={ApplicationState.DILIGENCE}"),
        ),
        Card(
            _("超期未受理或未审批"),
            queries.overdue(applications, at=timezone.now()).count(),
            link("finance:applications"),
            tone="danger",
        ),
        Card(
            _("待放款"),
            applications.filter(state=ApplicationState.APPROVED).count(),
            link("finance:applications", query=f"state={ApplicationState.APPROVED}"),
        ),
        Card(_("本机构产品"), queries.my_products(user).count(), link("finance:products")),
    ]
    return Section(
        role=Role.FINANCE,
        title=names or str(user),
        cards=cards,
        text=_("金融超市：本机构的产品与融资申请待办"),
    )


def _office(user: Any) -> Section:
    applications = visible(user)
    cards = [
        Card(_("在办融资申请"), applications.filter(state__in=OPEN_STATES).count(), link("finance:overview")),
        Card(
            _("融资申请超期未受理或未审批"),
            queries.overdue(applications, at=timezone.now()).count(),
            link("finance:applications"),
            tone="danger",
        ),
    ]
    return Section(role=Role.SERVICE_OFFICE, title="", cards=cards)


PARTS = (
    # Core greets the role with a placeholder under this key; the work queue takes its place.
    DashboardPart("core.finance_welcome", Role.FINANCE, _bank, order=10),
    DashboardPart("finance.office", Role.SERVICE_OFFICE, _office, order=70),
)
