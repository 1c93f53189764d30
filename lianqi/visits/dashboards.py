"""What visits add to the home page: the service office's count of open campaigns, counted on
what the user may see, leading to the list; and, beside each of a liaison's enterprises, the
days since a liaison was last in touch with it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Section, link
from lianqi.core.registry import DashboardPart, EnterpriseFacts
from lianqi.core.roles import Role

from . import queries


def _office(user: Any) -> Section:
    card = Card(_("进行中的走访活动"), queries.open_count(user), link("visits:campaign_list"))
    return Section(role=Role.SERVICE_OFFICE, title="", cards=[card])


def days_since_contact(user: Any, ids: list[int]) -> dict[int, str]:
    """For each enterprise, the days since a liaison was last in touch with it (a visit or a
    demand the liaison filed), or that nobody has been yet, counted on what the user may see."""
    last = queries.last_contacts(user, ids)
    today = timezone.localdate()
    return {
        pk: gettext_now("距上次联系 %(n)d 天") % {"n": (today - timezone.localdate(last[pk])).days}
        if pk in last
        else gettext_now("尚未联系")
        for pk in ids
    }


FACTS = (EnterpriseFacts("visits.last_contact", days_since_contact, order=20),)

PARTS = (DashboardPart("visits.office", Role.SERVICE_OFFICE, _office, order=40),)
