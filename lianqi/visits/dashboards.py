"""What visits add to the home page: the service office's count of open campaigns, counted on
what the user may see, leading to the list; and, beside each of a liaison's enterprises, the
days since it was last visited."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Section, link
from lianqi.core.registry import DashboardPart, EnterpriseFacts
from lianqi.core.roles import Role

from . import queries
from .choices import VisitChannel
from .permissions import visible_visits


def _office(user: Any) -> Section:
    card = Card(_("进行中的走访活动"), queries.open_count(user), link("visits:campaign_list"))
    return Section(role=Role.SERVICE_OFFICE, title="", cards=[card])


def days_since_visit(user: Any, ids: list[int]) -> dict[int, str]:
    """For each enterprise, the days since a liaison last visited it (an enterprise's own
    electronic form is not a contact), or that it was never visited, counted on the visits
    the user may see."""
    last = dict(
        visible_visits(user)
        .filter(enterprise_id__in=ids, channel=VisitChannel.LIAISON)
        .order_by()
        .values("enterprise_id")
        .annotate(at=Max("checked_in_at"))
        .values_list("enterprise_id", "at")
    )
    today = timezone.localdate()
    return {
        pk: gettext_now("距上次走访 %(n)d 天") % {"n": (today - timezone.localdate(last[pk])).days}
        if pk in last
        else gettext_now("尚未走访")
        for pk in ids
    }


FACTS = (EnterpriseFacts("visits.last_visit", days_since_visit, order=20),)

PARTS = (DashboardPart("visits.office", Role.SERVICE_OFFICE, _office, order=40),)
