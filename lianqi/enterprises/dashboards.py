"""What the enterprise register adds to the home pages: the enterprises in the park and their
make-up, the handler's enterprises of its industries, the liaison's own enterprises and the
enterprise's own card."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.core import registry
from lianqi.core.dashboards import Card, Panel, Row, Section, link
from lianqi.core.registry import DashboardPart
from lianqi.core.roles import Role
from lianqi.org.permissions import staff_phone
from lianqi.org.queries import industry_condition, own_staff

from .choices import EnterpriseKind, EnterpriseStatus
from .permissions import visible


def active(user: Any) -> QuerySet[Any]:
    return visible(user).filter(status=EnterpriseStatus.ACTIVE)


def enterprise_rows(queryset: QuerySet[Any], limit: int = 10) -> list[Row]:
    return [
        Row(e.name, link("enterprises:detail", e.pk), e.get_kind_display())
        for e in queryset.order_by("name")[:limit]
    ]


def leader_overview(user: Any) -> Section:
    enterprises = active(user)
    total = enterprises.count()
    by_kind = dict(enterprises.order_by().values_list("kind").annotate(n=Count("pk")))
    chart = {
        "title": str(_("企业构成")),
        "series": [
            {"name": str(label), "value": by_kind.get(code, 0)} for code, label in EnterpriseKind.choices
        ],
    }
    return Section(
        role=Role.LEADER,
        title="",
        cards=[Card(_("在园企业"), total, link("enterprises:list"))],
        chart=chart if total else None,
    )


def office_count(user: Any) -> Section:
    return Section(
        role=Role.SERVICE_OFFICE,
        title="",
        cards=[Card(_("在园企业"), active(user).count(), link("enterprises:list"))],
    )


def handler_industries(user: Any) -> Section | None:
    staff = own_staff(user)
    department = staff.department if staff is not None else None
    if department is None:
        return None
    prefixes = department.industry_prefix_list()
    enterprises = active(user).filter(industry_condition(prefixes)) if prefixes else None
    return Section(
        role=Role.DEPARTMENT_HANDLER,
        title="",
        cards=[
            Card(
                _("对口行业企业"),
                enterprises.count() if enterprises is not None else "—",
                hint=_("对口行业：%(p)s") % {"p": "、".join(prefixes)} if prefixes else _("尚未设置对口行业"),
            )
        ],
        panels=[
            Panel(
                _("对口行业企业"),
                enterprise_rows(enterprises) if enterprises is not None else [],
                _("没有对口行业的企业。"),
            )
        ],
    )


def liaison_enterprises(user: Any) -> Section:
    """The liaison's own enterprises, first on their home: each with what the other apps say
    about it (its open demands, the days since the last visit), else its kind."""
    staff = own_staff(user)
    if staff is None:
        return Section(role=Role.LIAISON, title="", text=_("您的账号尚未绑定干部信息，请联系管理员。"))
    mine = visible(user).filter(liaison=staff).order_by("name", "pk")
    shown = list(mine[:50])
    facts = registry.enterprise_facts(user, [e.pk for e in shown])
    rows = [
        Row(e.name, link("enterprises:detail", e.pk), " · ".join(facts.get(e.pk, [])) or e.get_kind_display())
        for e in shown
    ]
    return Section(
        role=Role.LIAISON,
        title="",
        cards=[Card(_("我联系的企业"), mine.count(), link("enterprises:list", query=f"liaison={staff.pk}"))],
        panels=[Panel(_("我联系的企业"), rows, _("您目前没有联系的企业。"))],
    )


def own_enterprise(user: Any) -> Section:
    enterprise = visible(user).select_related("liaison", "industry").first()
    if enterprise is None:
        return Section(role=Role.ENTERPRISE, title="", text=_("您的账号尚未绑定企业，请联系园区管理员。"))
    liaison = enterprise.liaison
    cards = [
        # The enterprise's own code page: where it files demands and sees what concerns it.
        Card(
            _("企业"),
            enterprise.name,
            reverse("codes:public", args=[enterprise.code_token]),
            hint=enterprise.credit_code,
        ),
        Card(_("主体类型"), enterprise.get_kind_display(), hint=enterprise.industry.name),
    ]
    if liaison is not None and liaison.is_active:
        # Its liaison's work phone is the enterprise's to see (`core.privacy`, `OUR_LIAISON`).
        phone = staff_phone(user, liaison)
        cards.append(
            Card(
                _("联企干部"),
                liaison.name,
                f"tel:{liaison.phone}" if phone and phone == liaison.phone else None,
                hint=phone,
            )
        )
    else:
        cards.append(Card(_("联企干部"), _("正在安排"), hint=_("园区将尽快为您安排专属联企干部")))
    return Section(role=Role.ENTERPRISE, title="", cards=cards)


PARTS = (
    DashboardPart("enterprises.leader", Role.LEADER, leader_overview, order=10),
    DashboardPart("enterprises.office", Role.SERVICE_OFFICE, office_count, order=20),
    DashboardPart("enterprises.handler", Role.DEPARTMENT_HANDLER, handler_industries, order=20),
    DashboardPart("enterprises.liaison", Role.LIAISON, liaison_enterprises, order=10),
    DashboardPart("enterprises.own", Role.ENTERPRISE, own_enterprise, order=10),
)
