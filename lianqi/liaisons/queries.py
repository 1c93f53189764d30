"""Reads of the liaison layout that pages, exports and actions share."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from lianqi.core.privacy import PhonePolicy
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.permissions import visible as enterprises_visible
from lianqi.org.choices import StaffTier
from lianqi.org.models import Department, Jurisdiction, Staff
from lianqi.org.permissions import staff_phone

from . import rules
from .models import LiaisonChange
from .permissions import staff_visible

#: Sort keys of the load table → ORDER BY.
LOAD_SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "department": ("department__order", "department__name", "name", "pk"),
    "-department": ("-department__order", "-department__name", "name", "pk"),
    "tier": ("tier", "name", "pk"),
    "-tier": ("-tier", "name", "pk"),
    "load": ("load", "name", "pk"),
    "-load": ("-load", "name", "pk"),
}
DEFAULT_LOAD_SORT = "-load"


def coverage_rate(covered: int, total: int) -> float:
    """Coverage in percent, to one decimal; an empty register counts as fully covered."""
    return 100.0 if total == 0 else round(covered * 100 / total, 1)


@dataclass(frozen=True)
class CoverageSummary:
    """How many active enterprises a user's scope has and how many have a liaison on duty."""

    total: int
    covered: int
    uncovered: int
    liaisons: int
    left_holding: int

    @property
    def rate(self) -> float:
        """Coverage in percent; an empty register counts as fully covered."""
        return coverage_rate(self.covered, self.total)


@dataclass(frozen=True)
class LoadStats:
    """The median load of active staff and the load above which one counts as overloaded, over
    all and per tier: a park leader's five firms are measured against other leaders, whom the
    layout gives five each, not against the many cadres who hold one or two."""

    median: float
    threshold: float
    tier_thresholds: dict[str, float] = field(default_factory=dict)

    def overloaded(self, load: int, tier: str | None = None) -> bool:
        return load > self.tier_thresholds.get(tier or "", self.threshold)


def active_enterprises(user: Any) -> QuerySet[Enterprise]:
    return enterprises_visible(user).filter(status=EnterpriseStatus.ACTIVE)


def active_under(jurisdiction_path: str) -> QuerySet[Enterprise]:
    """The active enterprises of a jurisdiction and those below it (for the measures)."""
    return Enterprise.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path, status=EnterpriseStatus.ACTIVE
    )


def without_liaison_on_duty(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Those of `enterprises` without a liaison on duty: none at all, or one who has left."""
    return enterprises.filter(Q(liaison__isnull=True) | Q(liaison__is_active=False))


def uncovered(user: Any) -> QuerySet[Enterprise]:
    """Active enterprises without a liaison on duty: none at all, or one who has left."""
    return (
        without_liaison_on_duty(active_enterprises(user))
        .select_related("industry", "liaison")
        .order_by("name", "pk")
    )


def left_staff_holding(user: Any) -> QuerySet[Staff]:
    """Staff who have left but still hold enterprises: each must be handed over."""
    return (
        staff_visible(user)
        .filter(is_active=False)
        .annotate(held=Count("enterprises"))
        .filter(held__gt=0)
        .select_related("department")
        .order_by("name", "pk")
    )


def coverage_of(active: QuerySet[Enterprise]) -> tuple[int, int]:
    """(how many, how many without a liaison on duty) of `active` enterprises: the one count
    behind the coverage page, the home page's card and the measures."""
    return active.count(), without_liaison_on_duty(active).count()


def coverage_summary(user: Any) -> CoverageSummary:
    active = active_enterprises(user)
    total, missing = coverage_of(active)
    liaisons = active.filter(liaison__is_active=True).values("liaison").distinct().count()
    return CoverageSummary(
        total=total,
        covered=total - missing,
        uncovered=missing,
        liaisons=liaisons,
        left_holding=left_staff_holding(user).count(),
    )


def load_per_liaison(user: Any, sort: str | None = None) -> QuerySet[Staff]:
    """Every active staff member of the user's scope, and every one who left while still holding
    enterprises, with `load` (active enterprises served) and `held` (all enterprises served)."""
    order = LOAD_SORTS.get(sort or DEFAULT_LOAD_SORT, LOAD_SORTS[DEFAULT_LOAD_SORT])
    return (
        staff_visible(user)
        .annotate(
            load=Count("enterprises", filter=Q(enterprises__status=EnterpriseStatus.ACTIVE)),
            held=Count("enterprises"),
        )
        .filter(Q(is_active=True) | Q(held__gt=0))
        .select_related("department")
        .order_by(*order)
    )


def load_stats(user: Any) -> LoadStats:
    """Overloaded means more than twice the median load of the active staff of the same tier
    (and at least more than two enterprises, so that a park with few firms does not flag
    everyone holding one)."""
    active = load_per_liaison(user).filter(is_active=True).order_by()
    loads: list[int] = []
    by_tier: dict[str, list[int]] = {}
    for staff in active:
        loads.append(staff.load)  # type: ignore[attr-defined]
        by_tier.setdefault(staff.tier, []).append(staff.load)  # type: ignore[attr-defined]

    def threshold(values: list[int]) -> float:
        return max(2 * float(statistics.median(values)), 2.0) if values else 2.0

    median = float(statistics.median(loads)) if loads else 0.0
    return LoadStats(
        median=median,
        threshold=threshold(loads),
        tier_thresholds={tier: threshold(values) for tier, values in by_tier.items()},
    )


def load_distribution(user: Any) -> list[tuple[int, int]]:
    """(load, number of active staff with that load), by load: the bars of the chart."""
    counts: dict[int, int] = {}
    for staff in load_per_liaison(user).filter(is_active=True).order_by():
        load: int = staff.load  # type: ignore[attr-defined]
        counts[load] = counts.get(load, 0) + 1
    return sorted(counts.items())


def held_by(staff: Staff) -> QuerySet[Enterprise]:
    """The enterprises a staff member serves as liaison, by name."""
    return Enterprise.objects.filter(liaison=staff).select_related("industry").order_by("name", "pk")


def template_rows(user: Any, phones: PhonePolicy) -> Iterator[tuple[str, str, str, str]]:
    """The rows of the liaison import's template: each active enterprise the user may see with
    its current liaison (credit code, name, liaison's name and phone, the phone as `phones`
    lets the user see it)."""
    enterprises = active_enterprises(user).select_related("liaison").order_by("name", "pk")
    for e in enterprises.iterator():
        yield (
            e.credit_code,
            e.name,
            e.liaison.name if e.liaison else "",
            staff_phone(user, e.liaison, phones) if e.liaison else "",
        )


def history_for(enterprise: Enterprise) -> QuerySet[LiaisonChange]:
    """Every change of one enterprise's liaison, newest first."""
    return (
        LiaisonChange.objects.filter(enterprise=enterprise)
        .select_related("from_staff", "to_staff", "actor")
        .order_by("-at", "-pk")
    )


def staff_choices(user: Any) -> QuerySet[Staff]:
    """Active staff a user may choose as a liaison, with their current `load`."""
    return (
        staff_visible(user)
        .filter(is_active=True)
        .annotate(load=Count("enterprises", filter=Q(enterprises__status=EnterpriseStatus.ACTIVE)))
        .select_related("department")
        .order_by("department__order", "department__name", "name", "pk")
    )


def staff_label(staff: Staff, *, phone: bool = True) -> str:
    """How a staff member reads in a select: name and current load first (what the chooser
    weighs), then department, tier and the phone tail that tells namesakes apart (left out
    of the pickers' JSON answers, which carry no phone at all)."""
    department = staff.department.name if staff.department_id and staff.department else "—"
    load = getattr(staff, "load", None)
    count = _("（%(n)d 家）") % {"n": load} if load is not None else ""
    tail = _(" · 尾号 %(tail)s") % {"tail": staff.phone[-4:]} if phone and staff.phone else ""
    return f"{staff.name}{count} — {department} · {staff.get_tier_display()}{tail}"


# --- The rules, fed from the database -----------------------------------------------------------


def enterprise_record(enterprise: dict[str, Any]) -> rules.EnterpriseRecord:
    capital = enterprise["registered_capital"]
    return rules.EnterpriseRecord(
        id=enterprise["pk"],
        kind=enterprise["kind"],
        industry_code=enterprise["industry_id"] or "",
        industry_section=enterprise["industry__section"] or "",
        registered_capital=float(capital) if capital is not None else None,
        employees=enterprise["employees"],
        liaison_id=enterprise["liaison_id"],
        path=enterprise["jurisdiction_path"],
        name=enterprise["name"],
    )


ENTERPRISE_RECORD_FIELDS = (
    "pk",
    "kind",
    "industry_id",
    "industry__section",
    "registered_capital",
    "employees",
    "liaison_id",
    "jurisdiction_path",
    "name",
)


def staff_record(staff: Staff) -> rules.StaffRecord:
    return rules.StaffRecord(
        id=staff.pk,
        tier=staff.tier,
        department_id=staff.department_id,
        path=staff.jurisdiction_path,
        name=staff.name,
    )


@dataclass
class RulesInputs:
    enterprises: list[rules.EnterpriseRecord]
    staff: list[rules.StaffRecord]
    departments: list[rules.DepartmentRecord]


def rules_inputs(jurisdiction: Jurisdiction) -> RulesInputs:
    """The active enterprises, active staff and active departments of a jurisdiction's subtree."""
    path = jurisdiction.path
    enterprises = (
        Enterprise.objects.filter(jurisdiction_path__startswith=path, status=EnterpriseStatus.ACTIVE)
        .order_by("pk")
        .values(*ENTERPRISE_RECORD_FIELDS)
    )
    staff = Staff.objects.filter(jurisdiction_path__startswith=path, is_active=True).order_by("pk")
    departments = Department.objects.filter(jurisdiction_path__startswith=path, is_active=True).order_by("pk")
    return RulesInputs(
        enterprises=[enterprise_record(e) for e in enterprises],
        staff=[staff_record(s) for s in staff],
        departments=[rules.DepartmentRecord.parse(d.pk, d.name, d.industry_prefixes) for d in departments],
    )


def rules_layout(
    jurisdiction: Jurisdiction,
    *,
    only_uncovered: bool = True,
    leader_quota: int = rules.DEFAULT_LEADER_QUOTA,
) -> tuple[RulesInputs, rules.Layout]:
    """What the rules would do in a jurisdiction now (the preview, and the action's plan)."""
    inputs = rules_inputs(jurisdiction)
    layout = rules.plan_layout(
        inputs.enterprises,
        inputs.staff,
        inputs.departments,
        only_uncovered=only_uncovered,
        leader_quota=leader_quota,
    )
    return inputs, layout


#: How many of the rules' decisions the preview lists one by one.
RULES_SAMPLE_SIZE = 50


def rules_preview(jurisdiction: Jurisdiction, **options: Any) -> dict[str, Any]:
    """What the rules page shows before anything is applied: each staff member's load before
    and after with how many they would take (most added first), a sample of the decisions with
    their reasons, the count per rule, and the enterprises nobody can take."""
    inputs, layout = rules_layout(jurisdiction, **options)
    staff = {s.id: s for s in inputs.staff}
    enterprises = {e.id: e for e in inputs.enterprises}
    added = Counter(d.staff_id for d in layout.decisions.values())
    by_rule = Counter(d.rule for d in layout.decisions.values())
    db_staff = Staff.objects.in_bulk(list(staff))
    rows: list[dict[str, Any]] = sorted(
        (
            {
                "staff": db_staff[sid],
                "before": layout.loads.get(sid, 0) - added.get(sid, 0),
                "added": added.get(sid, 0),
                "after": layout.loads.get(sid, 0),
            }
            for sid in staff
            if sid in db_staff
        ),
        key=lambda r: (-r["added"], -r["after"], r["staff"].name, r["staff"].pk),
    )
    sample = [
        {"enterprise": enterprises[eid], "staff": staff[d.staff_id], "decision": d}
        for eid, d in list(layout.decisions.items())[:RULES_SAMPLE_SIZE]
    ]
    return {
        "rows": rows,
        "sample": sample,
        "total": len(layout.decisions),
        "by_rule": {
            "leader": by_rule.get("leader", 0),
            "department": by_rule.get("department", 0),
            "pool": by_rule.get("pool", 0),
        },
        "unassigned": [enterprises[eid] for eid in layout.unassigned],
    }


@dataclass
class HandoverPool:
    """Whom a departing member's enterprises may be spread over, and what the pool is called."""

    candidates: list[Staff]
    name: str


def handover_pool(departing: Staff) -> HandoverPool:
    """The active colleagues of the departing member's department; when the department has
    nobody else, every active non-leader staff member of the departing member's jurisdiction."""
    base = Staff.objects.filter(is_active=True).exclude(pk=departing.pk).select_related("department")
    if departing.department_id:
        colleagues = list(base.filter(department_id=departing.department_id).order_by("pk"))
        if colleagues:
            return HandoverPool(colleagues, departing.department.name if departing.department else "")
    everyone = base.filter(jurisdiction_path__startswith=departing.jurisdiction_path).order_by("pk")
    non_leaders = list(everyone.exclude(tier=StaffTier.LEADER))
    return HandoverPool(non_leaders or list(everyone), departing.jurisdiction.name)


def handover_spread(departing: Staff) -> tuple[HandoverPool, rules.Layout]:
    """Spread the departing member's enterprises across their pool, fewest-loaded first."""
    pool = handover_pool(departing)
    held = Enterprise.objects.filter(liaison=departing).order_by("pk").values(*ENTERPRISE_RECORD_FIELDS)
    loads = dict(
        Enterprise.objects.filter(liaison__in=[s.pk for s in pool.candidates], status=EnterpriseStatus.ACTIVE)
        .values_list("liaison")
        .annotate(n=Count("pk"))
        .order_by()
    )
    layout = rules.spread_by_load(
        [enterprise_record(e) for e in held],
        [staff_record(s) for s in pool.candidates],
        loads,
        pool_name=pool.name,
    )
    return pool, layout


def handover_plan(departing: Staff, *, successor: Staff | None = None) -> tuple[list[dict[str, Any]], int]:
    """Who would take each enterprise a departing member serves: all of them to `successor`
    when one is named, else spread over the member's pool by load. Returns the plan (enterprise,
    staff, reason per row) and how many enterprises nobody in the pool can take (then the plan
    is empty)."""
    held = list(held_by(departing))
    if successor is not None:
        reason = _("全部移交给 %(name)s") % {"name": successor.name}
        return [{"enterprise": e, "staff": successor, "reason": reason} for e in held], 0
    pool, layout = handover_spread(departing)
    if layout.unassigned:
        return [], len(layout.unassigned)
    by_id = {s.pk: s for s in pool.candidates}
    plan = [
        {
            "enterprise": e,
            "staff": by_id[layout.decisions[e.pk].staff_id],
            "reason": layout.decisions[e.pk].reason,
        }
        for e in held
    ]
    return plan, 0
