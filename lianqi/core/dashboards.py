"""What each role sees first. A user sees one section per role they hold; each section is
cards (a figure and where it leads), short lists and, for leaders, a chart. Every figure is
counted on what the user may see, and every link is to a page that exists in this build."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

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


def _enterprises(user: Any) -> QuerySet[Any]:
    from lianqi.enterprises.permissions import visible

    return visible(user)


def _active_enterprises(user: Any) -> QuerySet[Any]:
    from lianqi.enterprises.choices import EnterpriseStatus

    return _enterprises(user).filter(status=EnterpriseStatus.ACTIVE)


def _uncovered(user: Any) -> QuerySet[Any]:
    """Active enterprises with no liaison on duty: none at all, or one who has left."""
    return _active_enterprises(user).filter(Q(liaison__isnull=True) | Q(liaison__is_active=False))


def _enterprise_rows(queryset: QuerySet[Any], limit: int = 10) -> list[Row]:
    return [
        Row(e.name, link("enterprises:detail", e.pk), e.get_kind_display())
        for e in queryset.order_by("name")[:limit]
    ]


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _demand_figures(user: Any) -> dict[str, int]:
    """Counts of the demands the user may see that call for attention now: open, overdue on
    the working-day clock, due within a working day, newly received, awaiting signature, and
    legacy problems still open."""
    from django.utils import timezone

    from lianqi.demands import permissions as demand_permissions
    from lianqi.demands import queries as demand_queries
    from lianqi.demands.choices import OPEN_STATES, DemandState

    demands = demand_permissions.visible(user)
    now = timezone.now()
    open_demands = demands.filter(state__in=OPEN_STATES)
    return {
        "open": open_demands.count(),
        "overdue": demand_queries.overdue(at=now, queryset=demands).count(),
        "due_soon": demand_queries.due_soon(at=now, queryset=demands).count(),
        "received": demands.filter(state=DemandState.RECEIVED).count(),
        "to_sign": demands.filter(state=DemandState.ASSIGNED).count(),
        "legacy_open": open_demands.filter(is_legacy=True).count(),
    }


def _demand_cards(user: Any, keys: tuple[str, ...], target: str) -> list[Card]:
    figures = _demand_figures(user)
    labels: dict[str, Label] = {
        "open": _("在办诉求"),
        "overdue": _("已超期诉求"),
        "due_soon": _("即将到期诉求"),
        "received": _("新受理待交办"),
        "to_sign": _("待签收诉求"),
        "legacy_open": _("未清零遗留问题"),
    }
    alarming = {"overdue", "legacy_open"}
    return [
        Card(
            labels[key],
            figures[key],
            link(target) if key != "legacy_open" else link("demands:legacy"),
            tone="danger" if key in alarming and figures[key] else "",
        )
        for key in keys
    ]


def _leader(user: Any) -> Section:
    from lianqi.enterprises.choices import EnterpriseKind
    from lianqi.org.permissions import departments_visible, staff_visible

    active = _active_enterprises(user)
    total = active.count()
    uncovered = _uncovered(user).count()
    by_kind = dict(active.order_by().values_list("kind").annotate(n=Count("pk")))
    chart = {
        "title": str(_("企业构成")),
        "series": [
            {"name": str(label), "value": by_kind.get(code, 0)} for code, label in EnterpriseKind.choices
        ],
    }
    return Section(
        role=Role.LEADER,
        title=_("园区概况"),
        cards=[
            Card(_("在园企业"), total, link("enterprises:list")),
            Card(
                _("联企覆盖率"),
                _percent(total - uncovered, total),
                link("liaisons:coverage"),
                hint=_("未覆盖 %(n)d 家") % {"n": uncovered} if uncovered else _("全部覆盖"),
                tone="danger" if uncovered else "success",
            ),
            Card(_("在岗干部"), staff_visible(user).filter(is_active=True).count(), link("org:staff")),
            Card(
                _("部门"), departments_visible(user).filter(is_active=True).count(), link("org:departments")
            ),
            *_demand_cards(user, ("open", "overdue", "legacy_open"), "demands:board"),
        ],
        chart=chart if total else None,
    )


def _service_office(user: Any) -> Section:
    from lianqi.liaisons.models import LiaisonChange

    from .models import Job

    uncovered = _uncovered(user)
    changes = (
        scope_queryset(LiaisonChange.objects.all(), user)
        .select_related("enterprise", "from_staff", "to_staff")
        .order_by("-at", "-pk")[:8]
    )
    change_rows = [
        Row(
            c.enterprise.name,
            link("enterprises:detail", c.enterprise_id),
            f"{c.from_staff or '—'} → {c.to_staff or '—'} · {c.get_method_display()} · {localtime(c.at):%m-%d %H:%M}",
        )
        for c in changes
    ]
    jobs = scope_queryset(Job.objects.all(), user, field="jurisdiction__path").order_by("-created_at")[:5]
    job_rows = [
        Row(
            f"{job.get_kind_display()} {job.original_name}".strip(),
            link("enterprises:import_preview", job.pk)
            if job.kind == Job.Kind.ENTERPRISE_IMPORT
            else link("liaisons:import_preview", job.pk)
            if job.kind == Job.Kind.LIAISON_IMPORT
            else None,
            f"{job.get_status_display()} · {job.percent}%",
        )
        for job in jobs
    ]
    count = uncovered.count()
    return Section(
        role=Role.SERVICE_OFFICE,
        title=_("营商办工作台"),
        cards=[
            Card(
                _("未覆盖企业"),
                count,
                link("liaisons:coverage") or link("enterprises:list", query="uncovered=true"),
                tone="danger" if count else "success",
            ),
            Card(_("在园企业"), _active_enterprises(user).count(), link("enterprises:list")),
            *_demand_cards(user, ("received", "overdue", "due_soon"), "demands:board"),
        ],
        panels=[
            Panel(
                _("未覆盖企业"),
                _enterprise_rows(uncovered),
                _("所有企业都有联企干部。"),
                link("liaisons:coverage"),
            ),
            Panel(_("最近的联企干部变更"), change_rows, _("暂无变更。")),
            Panel(_("导入任务"), job_rows, _("暂无导入任务。"), link("enterprises:import_jobs")),
        ],
    )


def _own_staff(user: Any) -> Any:
    from lianqi.org.models import Staff

    return Staff.objects.select_related("department").filter(user=user).first()


def _department_handler(user: Any) -> Section:
    from lianqi.org.queries import department_staff, industry_condition

    staff = _own_staff(user)
    department = staff.department if staff is not None else None
    section = Section(role=Role.DEPARTMENT_HANDLER, title=_("部门工作台"))
    if department is None:
        section.text = _("您的账号尚未绑定部门干部，请联系管理员。")
        return section
    members = department_staff(department).order_by("name")
    prefixes = department.industry_prefix_list()
    enterprises = _active_enterprises(user).filter(industry_condition(prefixes)) if prefixes else None
    section.title = department.name
    section.cards = [
        Card(_("本部门在岗干部"), members.count(), link("org:staff", query=f"department={department.pk}")),
        Card(
            _("对口行业企业"),
            enterprises.count() if enterprises is not None else "—",
            hint=_("对口行业：%(p)s") % {"p": "、".join(prefixes)} if prefixes else _("尚未设置对口行业"),
        ),
        *_demand_cards(user, ("to_sign", "due_soon", "overdue"), "demands:inbox"),
    ]
    section.panels = [
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
        ),
        Panel(
            _("对口行业企业"),
            _enterprise_rows(enterprises) if enterprises is not None else [],
            _("没有对口行业的企业。"),
        ),
    ]
    return section


def _liaison(user: Any) -> Section:
    staff = _own_staff(user)
    section = Section(role=Role.LIAISON, title=_("我联系的企业"))
    if staff is None:
        section.text = _("您的账号尚未绑定干部信息，请联系管理员。")
        return section
    mine = _enterprises(user).filter(liaison=staff).order_by("name")
    section.cards = [
        Card(_("我联系的企业"), mine.count(), link("enterprises:list", query=f"liaison={staff.pk}")),
        *_demand_cards(user, ("open",), "demands:liaison_home"),
    ]
    section.panels = [Panel(_("我联系的企业"), _enterprise_rows(mine, limit=50), _("您目前没有联系的企业。"))]
    return section


def _enterprise(user: Any) -> Section:
    section = Section(role=Role.ENTERPRISE, title=_("我的企业"))
    enterprise = _enterprises(user).select_related("liaison", "industry").first()
    if enterprise is None:
        section.text = _("您的账号尚未绑定企业，请联系园区管理员。")
        return section
    liaison = enterprise.liaison
    section.cards = [
        # The enterprise's own code page: where it will file demands and see inspections.
        Card(
            _("企业"),
            enterprise.name,
            reverse("codes:public", args=[enterprise.code_token]),
            hint=enterprise.credit_code,
        ),
        Card(_("主体类型"), enterprise.get_kind_display(), hint=enterprise.industry.name),
    ]
    if liaison is not None and liaison.is_active:
        section.cards.append(
            Card(
                _("联企干部"),
                liaison.name,
                f"tel:{liaison.phone}" if liaison.phone else None,
                hint=liaison.phone,
            )
        )
    else:
        section.cards.append(Card(_("联企干部"), _("正在安排"), hint=_("园区将尽快为您安排专属联企干部")))
    return section


def _finance(user: Any) -> Section:
    return Section(
        role=Role.FINANCE,
        title=_("金融机构"),
        text=_("欢迎使用联企。金融超市（发布产品、受理融资申请）即将上线。"),
    )


def _admin(user: Any) -> Section:
    from lianqi.accounts.permissions import visible as users_visible
    from lianqi.accounts.queries import locked_attempts

    users = users_visible(user)
    locked = locked_attempts(users.values("username")).count()
    return Section(
        role=Role.ADMIN,
        title=_("系统管理"),
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


BUILDERS = [
    (Role.LEADER, _leader),
    (Role.SERVICE_OFFICE, _service_office),
    (Role.DEPARTMENT_HANDLER, _department_handler),
    (Role.LIAISON, _liaison),
    (Role.ENTERPRISE, _enterprise),
    (Role.FINANCE, _finance),
    (Role.ADMIN, _admin),
]


def dashboard_for(user: Any) -> dict[str, Any]:
    """The home page of a user: one section per role they hold, in a fixed order."""
    roles = role_codes(user)
    sections = [build(user) for role, build in BUILDERS if role in roles]
    return {"sections": sections, "jurisdiction": getattr(user, "jurisdiction", None)}
