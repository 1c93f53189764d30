"""What the demand loop adds to the home pages: the demands that call for attention now, counted
on what the user may see, for each role that works on them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from lianqi.core.dashboards import Card, Label, Panel, Row, Section, link
from lianqi.core.registry import DashboardPart, EnterpriseFacts
from lianqi.core.roles import Role
from lianqi.org.queries import own_staff

from . import permissions, queries
from .choices import OPEN_STATES, DemandState


def figures(user: Any, *, liaison: Any = None) -> dict[str, int]:
    """Counts of the demands the user may see that call for attention now: open, overdue on
    the working-day clock, due within a working day, newly received, awaiting signature, and
    legacy problems still open. With `liaison` (a staff row), only the demands of the
    enterprises that cadre serves: a park leader who is also a liaison sees his five firms'
    figures on his liaison card, not the park's."""
    demands = permissions.visible(user)
    if liaison is not None:
        demands = demands.filter(enterprise__liaison=liaison)
    now = timezone.now()
    open_demands = demands.filter(state__in=OPEN_STATES)
    return {
        "open": open_demands.count(),
        "overdue": queries.overdue(at=now, queryset=demands).count(),
        "due_soon": queries.due_soon(at=now, queryset=demands).count(),
        "received": demands.filter(state=DemandState.RECEIVED).count(),
        "to_sign": demands.filter(state=DemandState.ASSIGNED).count(),
        "legacy_open": open_demands.filter(is_legacy=True).count(),
    }


LABELS: dict[str, Label] = {
    "open": _("在办诉求"),
    "overdue": _("已超期诉求"),
    "due_soon": _("即将到期诉求"),
    "received": _("新受理待交办"),
    "to_sign": _("待签收诉求"),
    "legacy_open": _("未清零遗留问题"),
}
ALARMING = {"overdue", "legacy_open"}


def cards(user: Any, keys: tuple[str, ...], target: str, *, liaison: Any = None) -> list[Card]:
    counted = figures(user, liaison=liaison)
    return [
        Card(
            LABELS[key],
            counted[key],
            link(target) if key != "legacy_open" else link("demands:legacy"),
            tone="danger" if key in ALARMING and counted[key] else "",
        )
        for key in keys
    ]


def liaison_demands(user: Any) -> Section | None:
    """The liaison's own demands: those of the enterprises they serve that are still open,
    newest first, each leading to its page."""
    staff = own_staff(user)
    if staff is None:
        return None
    mine = (
        permissions.visible(user)
        .filter(enterprise__liaison=staff, state__in=OPEN_STATES)
        .select_related("enterprise", "category")
        .order_by("-received_at", "-pk")
    )
    rows = [
        Row(f"{d.enterprise.name} · {d.category.name}", link("demands:detail", d.pk), d.get_state_display())
        for d in mine[:10]
    ]
    return Section(
        role=Role.LIAISON,
        title="",
        cards=cards(user, ("open",), "demands:liaison_home", liaison=staff),
        panels=[
            Panel(
                _("我联系企业的在办诉求"),
                rows,
                _("您联系的企业目前没有在办诉求。"),
                link("demands:liaison_home"),
            )
        ],
    )


#: What an enterprise's open demand waits for from the enterprise itself, by state. A replied
#: demand waits for the enterprise's rating; the workflow asks the enterprise for nothing else
#: (a demand sent back goes to the office, not to the enterprise).
AWAITED_OF_ENTERPRISE: dict[str, Label] = {DemandState.REPLIED: _("已答复，请评价")}


def enterprise_own_demands(user: Any) -> Section | None:
    """The enterprise's own demands, first on its home: those awaiting its rating first, then
    the other open ones, then the closed, each leading to its page under the enterprise's code
    (where it rates, withdraws or adds files without an SMS code)."""
    enterprise = getattr(user, "enterprise", None)
    if enterprise is None:
        return None
    demands = permissions.visible(user).filter(enterprise=enterprise)
    ordered = queries.awaited_first(demands.select_related("category"))
    token = enterprise.code_token
    rows = [
        Row(
            f"#{d.pk} · {d.category.name}",
            link("codes:demand_detail", token, d.pk),
            AWAITED_OF_ENTERPRISE.get(d.state) or d.get_state_display(),
        )
        for d in ordered[:10]
    ]
    to_rate = demands.filter(state=DemandState.REPLIED).count()
    return Section(
        role=Role.ENTERPRISE,
        title="",
        cards=[
            Card(
                _("待我评价"),
                to_rate,
                link("codes:demand_list", token),
                tone="warning" if to_rate else "",
            ),
            Card(
                _("在办诉求"), demands.filter(state__in=OPEN_STATES).count(), link("codes:demand_list", token)
            ),
        ],
        panels=[
            Panel(
                _("我的诉求"),
                rows,
                _("贵企业还没有提过诉求。"),
                link("codes:demand_list", token),
            )
        ],
    )


def open_demands_of(user: Any, ids: list[int]) -> dict[int, str]:
    """For each enterprise, how many of its demands the user may see are still open."""
    counted = dict(
        permissions.visible(user)
        .filter(enterprise_id__in=ids, state__in=OPEN_STATES)
        .order_by()
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values_list("enterprise_id", "n")
    )
    return {pk: gettext_now("在办诉求 %(n)d 件") % {"n": counted.get(pk, 0)} for pk in ids}


FACTS = (EnterpriseFacts("demands.open", open_demands_of, order=10),)


def handler_work(user: Any) -> Section | None:
    """The department handler's own work, first on its home: the inbox's counts, then the
    demands its department still owes a reply on, the nearest deadline first (so what is
    overdue leads), each with its deadline and leading to its page."""
    staff = own_staff(user)
    if staff is None or staff.department_id is None:
        return None
    owed = (
        queries.department_demands(staff.department_id, user=user)
        .led.filter(state__in=queries.DEPARTMENT_STATES)
        .select_related("enterprise", "category")
        .order_by(F("due_on").asc(nulls_last=True), "received_at", "pk")
    )
    today = timezone.localdate()
    rows = []
    for demand in owed[:10]:
        if demand.due_on is None:
            meta = demand.get_state_display()
        elif demand.due_on < today:
            meta = gettext_now("已超期 · 期限 %(day)s") % {"day": demand.due_on.isoformat()}
        else:
            meta = gettext_now("期限 %(day)s") % {"day": demand.due_on.isoformat()}
        rows.append(
            Row(
                f"#{demand.pk} {demand.enterprise.name} · {demand.category.name}",
                link("demands:detail", demand.pk),
                meta,
            )
        )
    return Section(
        role=Role.DEPARTMENT_HANDLER,
        title="",
        cards=cards(user, ("to_sign", "due_soon", "overdue"), "demands:inbox"),
        panels=[Panel(_("本部门待办诉求"), rows, _("本部门目前没有待办的诉求。"), link("demands:inbox"))],
    )


def _part(role: str, keys: tuple[str, ...], target: str) -> Any:
    def build(user: Any) -> Section | None:
        return Section(role=role, title="", cards=cards(user, keys, target))

    return build


PARTS = (
    DashboardPart(
        "demands.leader",
        Role.LEADER,
        _part(Role.LEADER, ("open", "overdue", "legacy_open"), "demands:board"),
        # What is open and overdue now follows the year's headline figures, before the register.
        6,
    ),
    DashboardPart(
        "demands.office",
        Role.SERVICE_OFFICE,
        _part(Role.SERVICE_OFFICE, ("received", "overdue", "due_soon"), "demands:board"),
        # The office's own work (what to assign, what is late) before the park's figures.
        1,
    ),
    # The handler opens on the inbox's counts and what its department owes, before its members.
    DashboardPart("demands.handler", Role.DEPARTMENT_HANDLER, handler_work, 1),
    DashboardPart("demands.liaison", Role.LIAISON, liaison_demands, 20),
    DashboardPart("demands.enterprise", Role.ENTERPRISE, enterprise_own_demands, 1),
)
