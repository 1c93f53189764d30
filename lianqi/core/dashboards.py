"""What each role sees first. A user sees one section per role they hold; each section is
cards (a figure and where it leads), short lists and, for leaders, a chart. The parts of a
section come from the apps through the dashboard registry (`lianqi.core.registry`): each app
registers what it adds to which role's section, and they are merged here in order. Every
figure is counted on what the user may see, and every link is to a page that exists in this
build."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import registry
from .registry import DashboardPart, Period
from .roles import Role, role_codes
from .scoping import scope_queryset

Label = str | Promise


@dataclass
class Card:
    label: Label
    value: Any
    url: str | None = None
    hint: Label = ""
    tone: str = ""
    definition: Label = ""


@dataclass
class Row:
    label: Label
    url: str | None = None
    meta: Label = ""


@dataclass
class Panel:
    title: Label
    rows: list[Row]
    empty: Label = ""
    more_url: str | None = None


@dataclass
class Section:
    role: str
    title: Label
    cards: list[Card] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    chart: dict[str, Any] | None = None
    text: Label = ""


def link(name: str, *args: Any, query: str = "") -> str | None:
    """The URL of a named page, or None when that page is not part of this build."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{query}" if query else url


def percent(part: int, whole: int) -> str:
    """A share as shown on cards: one decimal and a per cent sign, or "—" when there is no whole."""
    return f"{part * 100 / whole:.1f}%" if whole else "—"


#: The title of each role's section; a part may give a more specific one (a department's name).
TITLES: dict[str, Label] = {
    Role.LEADER: _("园区概况"),
    Role.SERVICE_OFFICE: _("营商办工作台"),
    Role.DEPARTMENT_HANDLER: _("部门工作台"),
    Role.LIAISON: _("我联系的企业"),
    Role.ENTERPRISE: _("我的企业"),
    Role.FINANCE: _("金融机构"),
    Role.ADMIN: _("系统管理"),
}

#: The roles in the order their sections are shown: a cadre who is both a liaison and a
#: department's handler opens on the enterprises they serve, their own work.
ORDER = (
    Role.LEADER,
    Role.SERVICE_OFFICE,
    Role.LIAISON,
    Role.DEPARTMENT_HANDLER,
    Role.ENTERPRISE,
    Role.FINANCE,
    Role.ADMIN,
)


def merge(role: str, parts: list[Section]) -> Section:
    """One role's section from its parts, in order: the first title and text given win; cards
    and panels follow one another; the first chart is kept. A part that says only a text (an
    account not yet bound to its staff row or enterprise) stands alone."""
    section = Section(role=role, title=TITLES.get(role, ""))
    titled = False
    for part in parts:
        if part.title and not titled:
            section.title, titled = part.title, True
        if part.text and not section.text:
            section.text = part.text
        section.cards.extend(part.cards)
        section.panels.extend(part.panels)
        if section.chart is None and part.chart is not None:
            section.chart = part.chart
    return section


def section_for(user: Any, role: str) -> Section:
    built = [part.build(user) for part in registry.dashboard_parts(role)]
    return merge(role, [b for b in built if b is not None])


def _jobs(user: Any) -> Section:
    """The office's long-running imports, wherever they were started."""
    from .models import Job

    jobs = scope_queryset(Job.objects.all(), user, field="jurisdiction__path").order_by("-created_at")[:5]
    previews: dict[str, str] = {
        Job.Kind.ENTERPRISE_IMPORT: "enterprises:import_preview",
        Job.Kind.LIAISON_IMPORT: "liaisons:import_preview",
    }
    rows = [
        Row(
            f"{job.get_kind_display()} {job.original_name}".strip(),
            link(previews[job.kind], job.pk) if job.kind in previews else None,
            f"{job.get_status_display()} · {job.percent}%",
        )
        for job in jobs
    ]
    return Section(
        role=Role.SERVICE_OFFICE,
        title="",
        panels=[Panel(_("导入任务"), rows, _("暂无导入任务。"), link("enterprises:import_jobs"))],
    )


#: The leader's headline figures for the year, by measure key, in the order the cards show them
#: (coverage and what is overdue now have their own cards); a measure whose app is not installed
#: is simply left out.
HEADLINE = (
    "demands.received",
    "demands.satisfaction_rate",
    # Seed 003's 回访满意度: the return visits as answered, before any redo.
    "demands.return_visit_satisfaction_rate",
    "demands.solved_rate",
    "demands.responded_rate",
    "demands.on_spot_rate",
    "policies.disbursed_amount",
)


def format_figure(value: Any, unit: Any) -> str:
    """A measure's figure as a card shows it: "—" when there is nothing to divide by, shares
    with one decimal, amounts with thousands separators (the unit goes on the card's second
    line, so a long unit never cuts the figure)."""
    if value is None:
        return "—"
    if str(unit) == "%":
        return f"{value:.1f}%"
    return f"{value:,.2f}" if isinstance(value, Decimal) else f"{value:,}"


def headline(user: Any) -> Section | None:
    """The leader's figures for this year, read from the registered measures over the leader's
    jurisdiction, each with its definition and a link to the page that computes it."""
    jurisdiction = getattr(user, "jurisdiction", None)
    if jurisdiction is None:
        return None
    period = Period.year(timezone.localdate().year)
    cards = []
    for key in HEADLINE:
        try:
            measure = registry.measure(key)
        except KeyError:
            continue
        value = measure.compute(jurisdiction.path, period)
        cards.append(
            Card(
                measure.label,
                format_figure(value, measure.unit),
                link(measure.url_name) if measure.url_name else None,
                hint=_("%(year)s 年") % {"year": period.start.year}
                + (f" · {measure.unit}" if measure.unit and str(measure.unit) != "%" else ""),
                definition=measure.definition,
            )
        )
    return Section(role=Role.LEADER, title="", cards=cards) if cards else None


def _finance(user: Any) -> Section:
    """A financial institution's user is greeted as its institution, not by its login name."""
    institution = getattr(user, "institution", "") or str(user)
    return Section(
        role=Role.FINANCE,
        title=institution,
        text=_("欢迎使用联企。金融超市（发布产品、受理融资申请）即将上线。"),
    )


def register() -> None:
    registry.register_dashboard(
        DashboardPart("core.jobs", Role.SERVICE_OFFICE, _jobs, order=900),
        DashboardPart("core.finance_welcome", Role.FINANCE, _finance, order=900),
        DashboardPart("core.headline", Role.LEADER, headline, order=5),
    )


def dashboard_for(user: Any) -> dict[str, Any]:
    """The home page of a user: one section per role they hold, in a fixed order."""
    roles = role_codes(user)
    sections = [section_for(user, role) for role in ORDER if role in roles]
    return {"sections": sections, "jurisdiction": getattr(user, "jurisdiction", None)}
