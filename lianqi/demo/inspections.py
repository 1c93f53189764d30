"""The demo park's year of enforcement inspections (seed 003: 971 inspections registered before
entry) and its three lenient-enforcement lists (免罚 334 / 轻罚 205 / 减罚 126 items).

Each department of the main park gets a pool of inspectors from its staff. The year's
registrations are spread over the last 365 days, most on plan, some on complaints, referrals
and draws; those past are checked in and closed, some rated by the enterprise, some merged
into joint visits; a dozen projects under construction are in a quiet period. They are written in bulk (thousands of rows through the action would make
the demo slow), with what the action would have written: the code, the inspectors, the
creation event, and the frequency warnings of `inspections.checks`.

Deterministic: the same seed, scale and `today` give the same rows."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TypeVar

from lianqi.core import workdays
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Enterprise
from lianqi.inspections.checks import cap_warnings
from lianqi.inspections.choices import InspectionAction, InspectionState, LenientKind, Trigger
from lianqi.inspections.models import (
    Inspection,
    InspectionEvent,
    Inspector,
    JointVisit,
    LenientItem,
    QuietPeriod,
    Rating,
)
from lianqi.org.models import Department, Jurisdiction, Staff

R = TypeVar("R", Inspector, LenientItem)

#: Registrations of a year at scale 1 (seed 003: 登记入企检查971次).
YEAR_INSPECTIONS = 971
#: The lists' sizes (seed 003: 免罚清单334项、轻罚清单205项、减罚清单126项); not scaled, they are law.
LIST_SIZES: dict[LenientKind, int] = {
    LenientKind.EXEMPT: 334,
    LenientKind.LIGHTER: 205,
    LenientKind.REDUCED: 126,
}
TRIGGER_WEIGHTS: tuple[tuple[Trigger, int], ...] = (
    (Trigger.PLAN, 70),
    (Trigger.DRAW, 15),
    (Trigger.COMPLAINT, 10),
    (Trigger.REFERRAL, 5),
)
TASKS = ("安全生产检查", "消防安全检查", "环境保护检查", "特种设备检查", "食品安全检查", "劳动保障检查")
BASES = (
    "《安全生产法》",
    "《消防法》",
    "《环境保护法》",
    "《特种设备安全法》",
    "《食品安全法》",
    "《劳动保障监察条例》",
)
VIOLATIONS = (
    "未按规定公示信息",
    "未按规定设置警示标志",
    "台账记录不全",
    "超标排放",
    "证照过期未换",
    "未按规定培训",
)


@dataclass
class InspectionDemoFigures:
    """What the builder made."""

    inspectors: int = 0
    registered: int = 0
    joint_visits: int = 0
    ratings: int = 0
    lenient_items: int = 0
    quiet_periods: int = 0


def build_demo_inspections(
    *, park: Jurisdiction, seed: int, scale: float, today: dt.date
) -> InspectionDemoFigures:
    """The inspectors, the year's registrations and the lenient lists of `park`."""
    rng = random.Random(f"inspections-{seed}")
    figures = InspectionDemoFigures()
    pools: dict[int, list[Inspector]] = {}
    departments = list(Department.objects.filter(jurisdiction=park).order_by("order", "pk"))
    for department in departments:
        staff = list(Staff.objects.filter(department=department).order_by("pk")[:6])
        if len(staff) < 2:
            continue
        pools[department.pk] = Inspector.objects.bulk_create(
            [
                _filled(
                    Inspector(
                        jurisdiction=park,
                        staff=member,
                        department=department,
                        certificate_no=f"{park.code}{member.pk:06d}",
                        qualified_until=today + dt.timedelta(days=365 * 3),
                    )
                )
                for member in staff
            ]
        )
    figures.inspectors = sum(len(p) for p in pools.values())
    enterprises = list(Enterprise.objects.filter(jurisdiction=park).order_by("pk"))
    if not pools or not enterprises:
        return figures
    count = max(1, round(YEAR_INSPECTIONS * scale))
    triggers = [trigger for trigger, _weight in TRIGGER_WEIGHTS]
    weights = [weight for _trigger, weight in TRIGGER_WEIGHTS]
    at = dt.datetime.combine(today, dt.time(9), tzinfo=workdays.SHANGHAI)
    for n in range(count):
        department_pk = rng.choice(sorted(pools))
        kind = rng.randrange(len(TASKS))
        planned_on = today - dt.timedelta(days=rng.randrange(365))
        trigger = rng.choices(triggers, weights)[0]
        enterprise = rng.choice(enterprises)
        past = planned_on < today
        row = Inspection(
            jurisdiction=park,
            enterprise=enterprise,
            department_id=department_pk,
            legal_basis=BASES[kind],
            task=TASKS[kind],
            trigger=trigger,
            plan_reference=f"年度检查计划〔{planned_on.year}〕{n % 40 + 1}号"
            if trigger == Trigger.PLAN
            else "",
            trigger_note="" if trigger == Trigger.PLAN else str(trigger.label),
            planned_on=planned_on,
            cap_warnings=cap_warnings(enterprise, planned_on),
            state=InspectionState.CLOSED if past else InspectionState.REGISTERED,
            checked_in_at=at - dt.timedelta(days=(today - planned_on).days) if past else None,
            result="未发现问题" if past else "",
            last_changed_at=at,
        )
        row.save()
        # Registered three days before the visit (the row's own stamp says today otherwise).
        registered_at = at - dt.timedelta(days=(today - planned_on).days + 3)
        Inspection.objects.filter(pk=row.pk).update(created_at=registered_at)
        row.inspectors.set(rng.sample(pools[department_pk], 2))
        InspectionEvent.objects.create(
            inspection=row,
            jurisdiction_path=row.jurisdiction_path,
            action=InspectionAction.CREATE,
            to_state=InspectionState.REGISTERED,
            at=registered_at,
        )
        if past and rng.random() < 0.4:
            rated_at = min(at, at - dt.timedelta(days=(today - planned_on).days - 1))
            Rating.objects.create(inspection=row, score=rng.choice((3, 4, 4, 5, 5, 5)), rated_at=rated_at)
            figures.ratings += 1
        figures.registered += 1
    figures.joint_visits = _merge_same_day(park)
    figures.quiet_periods = _quiet_periods(park, rng, scale, today)
    for lenient_kind, size in LIST_SIZES.items():
        LenientItem.objects.bulk_create(
            [
                _filled(
                    LenientItem(
                        jurisdiction=park,
                        kind=lenient_kind,
                        number=number,
                        violation=f"{VIOLATIONS[number % len(VIOLATIONS)]}（第{number}项）",
                        legal_basis=BASES[number % len(BASES)],
                        conditions="首次违法、危害后果轻微并及时改正",
                        measure=str(lenient_kind.label).removesuffix("清单"),
                    )
                )
                for number in range(1, size + 1)
            ]
        )
        figures.lenient_items += size
    return figures


#: Newly landed projects the park exempts from routine inspections while they build (无事不扰).
QUIET_PROJECTS = 12


def _quiet_periods(park: Jurisdiction, rng: random.Random, scale: float, today: dt.date) -> int:
    """Quiet periods for some of the park's projects under construction: from a month ago to
    five months ahead, chosen among those with no inspection on plan or by draw since the
    period began (the register refuses those)."""
    starts_on, ends_on = today - dt.timedelta(days=30), today + dt.timedelta(days=150)
    routine = Inspection.objects.filter(
        jurisdiction=park, trigger__in=(Trigger.PLAN, Trigger.DRAW), planned_on__gte=starts_on
    ).values("enterprise_id")
    candidates = list(
        Enterprise.objects.filter(jurisdiction=park, kind=EnterpriseKind.PROJECT)
        .exclude(pk__in=routine)
        .order_by("pk")
    )
    chosen = rng.sample(candidates, min(len(candidates), max(1, round(QUIET_PROJECTS * scale))))
    QuietPeriod.objects.bulk_create(
        [
            QuietPeriod(
                jurisdiction=park,
                jurisdiction_path=park.path,
                enterprise=enterprise,
                starts_on=starts_on,
                ends_on=ends_on,
                reason="新落地项目建设期，免于计划检查和随机抽查",
            )
            for enterprise in sorted(chosen, key=lambda e: e.pk)
        ]
    )
    return len(chosen)


def _filled(row: R) -> R:
    """A row for `bulk_create`, with its stored copies filled (bulk_create skips `save`)."""
    row.fill_derived_fields()
    return row


def _merge_same_day(park: Jurisdiction) -> int:
    """Merge several departments' inspections of one firm on one day into a joint visit, as
    the office would have (综合查一次)."""
    groups: dict[tuple[int, dt.date], list[Inspection]] = {}
    for row in Inspection.objects.filter(jurisdiction=park).order_by("pk"):
        groups.setdefault((row.enterprise_id, row.planned_on), []).append(row)
    merged = 0
    for (enterprise_id, day), rows in groups.items():
        if len({r.department_id for r in rows}) < 2:
            continue
        visit = JointVisit.objects.create(
            jurisdiction=park,
            enterprise_id=enterprise_id,
            planned_on=day,
            lead_department_id=rows[0].department_id,
        )
        Inspection.objects.filter(pk__in=[r.pk for r in rows]).update(joint_visit=visit)
        merged += 1
    return merged
