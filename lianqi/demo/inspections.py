"""The demo park's year of enforcement inspections (seed 003: 971 inspections registered before
entry) and its three lenient-enforcement lists (免罚 334 / 轻罚 205 / 减罚 126 items).

Each department of the main park gets a pool of inspectors from its staff and a published
list of inspection items (检查事项清单, by what the department enforces). The year's
registrations are spread over the last 365 days, each against an item of its department,
within the frequency caps and the items' yearly caps (a draw over a cap is drawn again; a few
went to the office with a reason and were refused, and the log shows them; about one in eight
joins another department's visit of the same day), most on plan, some on complaints, referrals
and draws; those past are checked in and closed, some rated by the enterprise, some merged
into joint visits; a dozen projects under construction are in a quiet period. They are written in bulk (thousands of rows through the action would make
the demo slow), with what the action would have written: the code, the inspectors, the
creation event, and the frequency warnings of `inspections.checks`.

Deterministic: the same seed, scale and `today` give the same rows."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any, TypeVar

from lianqi.core import calendar_store, workdays
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Enterprise
from lianqi.inspections.actions import report_unregistered_entry, set_frequency_caps
from lianqi.inspections.cells import mark_all_stale
from lianqi.inspections.cells import refresh as refresh_statistics
from lianqi.inspections.checks import cap_warnings
from lianqi.inspections.choices import (
    Finding,
    FollowUp,
    InspectionAction,
    InspectionState,
    ItemKind,
    LenientKind,
    Trigger,
    VisitKind,
)
from lianqi.inspections.models import (
    Inspection,
    InspectionEvent,
    InspectionItem,
    Inspector,
    JointVisit,
    LenientItem,
    QuietPeriod,
    Rating,
)
from lianqi.org.models import Department, Jurisdiction, Staff

R = TypeVar("R", Inspector, LenientItem, InspectionItem)

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
    rectifications: int = 0
    rectifications_overdue: int = 0
    penalties: int = 0
    quiet_periods: int = 0
    items: int = 0
    refused: int = 0
    unregistered_reports: int = 0


def build_demo_inspections(
    *, park: Jurisdiction, seed: int, scale: float, today: dt.date, reports: bool = True
) -> InspectionDemoFigures:
    """The inspectors, the year's registrations and the lenient lists of `park`, and (with
    `reports`, when the demo has demands) a few reports of an unregistered entry."""
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
    items = _items(park, departments, today)
    figures.items = sum(len(v) for v in items.values())
    count = max(1, round(YEAR_INSPECTIONS * scale))
    triggers = [trigger for trigger, _weight in TRIGGER_WEIGHTS]
    weights = [weight for _trigger, weight in TRIGGER_WEIGHTS]
    at = dt.datetime.combine(today, dt.time(9), tzinfo=workdays.SHANGHAI)
    # Per (enterprise, item, year): the items' yearly caps are checked as the register would.
    per_item: dict[tuple[int, int, int], int] = {}
    made: list[Inspection] = []
    n = 0
    # Draws over a cap are drawn again; a park too small for the caps stops short, not forever.
    while figures.registered < count and n < count * MAX_TRIES:
        n += 1
        department_pk = rng.choice(sorted(pools))
        item = rng.choice(items[department_pk])
        trigger = rng.choices(triggers, weights)[0]
        partner = _partner(made, department_pk, rng)
        if partner is not None:
            # Another department joins a visit already registered (综合查一次): one visit for the caps.
            enterprise, planned_on, warnings = partner.enterprise, partner.planned_on, []
        else:
            enterprise = rng.choice(enterprises)
            planned_on = today - dt.timedelta(days=rng.randrange(365))
            warnings = cap_warnings(enterprise, planned_on)
        key = (enterprise.pk, item.pk, planned_on.year)
        if per_item.get(key, 0) >= item.yearly_cap:
            warnings = [*warnings, f"超过“{item.name}”每年 {item.yearly_cap} 次的上限"]
        if warnings:
            # Over a cap: the register refuses it. A few asked the office, which said no.
            if figures.refused < REFUSED_SHOWN and planned_on < today:
                _refused(park, enterprise, item, planned_on, trigger, warnings, pools[department_pk], rng, at)
                figures.refused += 1
            continue
        per_item[key] = per_item.get(key, 0) + 1
        past = planned_on < today
        row = Inspection(
            jurisdiction=park,
            enterprise=enterprise,
            department_id=department_pk,
            item=item,
            legal_basis=item.legal_basis,
            task=item.name,
            trigger=trigger,
            # Some planned entries are service visits (帮扶指导), registered all the same.
            visit_kind=VisitKind.SERVICE
            if trigger == Trigger.PLAN and rng.random() < SERVICE_SHARE
            else VisitKind.ENFORCEMENT,
            plan_reference=f"年度检查计划〔{planned_on.year}〕{n % 40 + 1}号"
            if trigger == Trigger.PLAN
            else "",
            trigger_note="" if trigger == Trigger.PLAN else str(trigger.label),
            planned_on=planned_on,
            state=InspectionState.CLOSED if past else InspectionState.REGISTERED,
            checked_in_at=at - dt.timedelta(days=(today - planned_on).days) if past else None,
            finding=Finding.NO_PROBLEM if past else "",
            result="未发现问题" if past else "",
            last_changed_at=at,
        )
        row.save()
        made.append(row)
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
            counts = {name: rng.choice((3, 4, 4, 5, 5, 5)) for name in ("conduct", "disturbance", "clarity")}
            score = (2 * sum(counts.values()) + 3) // 6  # as the rating action rounds the mean
            Rating.objects.create(inspection=row, score=score, rated_at=rated_at, **counts)
            figures.ratings += 1
        figures.registered += 1
    figures.joint_visits = _merge_same_day(park)
    figures.quiet_periods = _quiet_periods(park, rng, scale, today)
    if reports:
        figures.unregistered_reports = _unregistered_reports(enterprises, rng, today)
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
    _findings(park, figures, seed, today)
    # The year was written past the actions, as an import is: its statistics days are marked
    # and counted, so the statistics page opens at once.
    mark_all_stale()
    refresh_statistics()
    return figures


#: Of the past inspections, the share that ordered a rectification and the share that penalised.
RECTIFICATION_SHARE = 0.10
PENALTY_SHARE = 0.03


def _findings(park: Jurisdiction, figures: InspectionDemoFigures, seed: int, today: dt.date) -> None:
    """Most past inspections found no problem; some ordered a rectification within 5–15
    working days (most rectified by then, a few late, and a few whose deadline passed with no
    follow-up: overdue); a few penalised, about half citing a lenient-list item. Its own
    random stream, so the rest of the demo is what it was."""
    rng = random.Random(seed * 1009 + 13)
    cal = calendar_store.get_calendar()
    lenient = list(LenientItem.objects.filter(jurisdiction=park).order_by("kind", "number"))
    closed = Inspection.objects.filter(jurisdiction=park, state=InspectionState.CLOSED).order_by("pk")
    for row in closed.only("pk", "planned_on"):
        draw = rng.random()
        if draw < RECTIFICATION_SHARE:
            days = rng.choice((5, 10, 15))
            due = workdays.add_workdays(row.planned_on, days, cal).day
            change: dict[str, Any] = {
                "finding": Finding.RECTIFICATION,
                "result": rng.choice(RECTIFICATION_NOTES),
                "rectification_days": days,
                "rectification_due_on": due,
            }
            outcome = rng.random()
            if due < today and outcome < 0.15:
                figures.rectifications_overdue += 1  # deadline passed, nothing recorded
            elif due < today and outcome < 0.22:
                change["follow_up"] = FollowUp.ESCALATED  # not rectified: escalated to a penalty
                figures.rectifications_overdue += 1
            elif due < today or outcome < 0.5:
                late = outcome > 0.9 and due < today - dt.timedelta(days=3)
                day = (
                    due + dt.timedelta(days=3)
                    if late
                    else due - dt.timedelta(days=rng.randrange(days // 2 + 1))
                )
                if day <= today:
                    change |= {"follow_up": FollowUp.RECTIFIED, "rectified_on": max(day, row.planned_on)}
                    figures.rectifications_overdue += int(late)
            Inspection.objects.filter(pk=row.pk).update(**change)
            figures.rectifications += 1
        elif draw < RECTIFICATION_SHARE + PENALTY_SHARE:
            cited = rng.choice(lenient) if lenient and rng.random() < 0.5 else None
            Inspection.objects.filter(pk=row.pk).update(
                finding=Finding.PENALTY, result=rng.choice(PENALTY_NOTES), lenient_item=cited
            )
            figures.penalties += 1


RECTIFICATION_NOTES = (
    "消防通道堆放杂物，责令清理",
    "灭火器过期未更换",
    "安全警示标志缺失",
    "危险废物贮存台账不全",
    "特种作业人员证书过期",
)
PENALTY_NOTES = (
    "未按规定开展安全生产教育培训",
    "超标排放大气污染物",
    "未取得许可擅自作业",
)


def adopt_quiet_rule(*, park: Jurisdiction, office: Any) -> bool:
    """The park keeps its credit class A enterprises (诚信企业) out of routine inspections
    (无事不扰), set by its service office once the credit classes exist; False without an office."""
    if office is None:
        return False
    set_frequency_caps(
        jurisdiction=park,
        per_day=1,
        per_week=2,
        per_month=3,
        actor=office,
        quiet_eligibility={"attribute": "credit_class", "op": "in", "value": ["A"]},
        quiet_note="信用A级（诚信）企业",
    )
    return True


def _unregistered_reports(enterprises: list[Enterprise], rng: random.Random, today: dt.date) -> int:
    """A few enterprises report an inspector who came without a code (未赋码入企) through their
    code page, in the last weeks: each becomes a new demand of the category 执法检查 waiting in
    the office's intake, and counts on the inspection statistics."""
    reporters = sorted(
        rng.sample(enterprises, min(UNREGISTERED_REPORTS, len(enterprises))), key=lambda e: e.pk
    )
    cal = calendar_store.get_calendar()
    for number, (enterprise, text) in enumerate(zip(reporters, UNREGISTERED_TEXTS, strict=False)):
        day = today - dt.timedelta(days=7 * (number + 1))
        while not workdays.is_workday(day, cal):
            day -= dt.timedelta(days=1)
        report_unregistered_entry(
            enterprise=enterprise,
            description=text,
            contact_name=f"{enterprise.name[:2]}经理",
            contact_phone=f"1390732{enterprise.pk % 10000:04d}",
            at=dt.datetime.combine(day, dt.time(10, 30), tzinfo=workdays.SHANGHAI),
        )
    return len(reporters)


#: Reports of an unregistered entry (未赋码入企) the demo's enterprises made through their code.
UNREGISTERED_REPORTS = 3
UNREGISTERED_TEXTS = (
    "上周三上午两名自称区安监的人员到车间检查，未出示检查码，也未说明检查依据",
    "有人以消防检查名义入企查看仓库，未扫码登记，走时未留检查结果",
    "一周内第二次有部门来查排污情况，未出示检查码，影响了正常生产",
)

#: Over-cap registrations the office refused, kept so that the log shows the caps at work.
REFUSED_SHOWN = 4
#: Draws per registration at most before a park too small for the caps gives up.
MAX_TRIES = 20
#: The share of planned entries that are service visits (帮扶指导), not enforcement.
SERVICE_SHARE = 0.15
#: The share of registrations that join another department's visit (综合查一次).
JOINT_SHARE = 0.12

#: Published inspection items (检查事项清单) by a word of the department's name: the item, the
#: law, the article, the kind and the yearly cap per enterprise.
ITEMS: dict[str, tuple[tuple[str, str, str, ItemKind, int], ...]] = {
    "应急": (
        ("安全生产主体责任落实情况检查", "《安全生产法》", "第六十五条", ItemKind.TARGETED, 2),
        ("危险化学品使用安全检查", "《危险化学品安全管理条例》", "第六条", ItemKind.TARGETED, 2),
        ("粉尘防爆安全检查", "《工贸企业粉尘防爆安全规定》", "第二十五条", ItemKind.RANDOM, 1),
        ("有限空间作业安全检查", "《工贸企业有限空间作业安全规定》", "第二十三条", ItemKind.RANDOM, 1),
    ),
    "消防": (
        ("消防安全重点单位检查", "《消防法》", "第五十三条", ItemKind.TARGETED, 2),
        ("火灾隐患举报核查", "《消防监督检查规定》", "第十四条", ItemKind.COMPLAINT, 3),
        ("消防设施维护保养检查", "《消防法》", "第十六条", ItemKind.RANDOM, 1),
    ),
    "生态环境": (
        ("排污许可证执行情况检查", "《排污许可管理条例》", "第二十七条", ItemKind.RANDOM, 1),
        ("大气污染防治设施运行检查", "《大气污染防治法》", "第二十九条", ItemKind.TARGETED, 2),
        ("环境污染投诉核查", "《环境保护法》", "第二十四条", ItemKind.COMPLAINT, 3),
        ("危险废物规范化管理检查", "《固体废物污染环境防治法》", "第七十八条", ItemKind.JOINT, 1),
    ),
    "市场监督": (
        ("特种设备使用安全检查", "《特种设备安全法》", "第五十七条", ItemKind.RANDOM, 1),
        ("产品质量监督抽查", "《产品质量法》", "第十五条", ItemKind.RANDOM, 1),
        ("食品生产经营日常监督检查", "《食品安全法》", "第一百一十条", ItemKind.TARGETED, 2),
        ("计量器具使用检查", "《计量法》", "第九条", ItemKind.RANDOM, 1),
    ),
    "人力资源": (
        ("劳动用工和工资支付检查", "《劳动保障监察条例》", "第十一条", ItemKind.RANDOM, 1),
        ("欠薪投诉核查", "《保障农民工工资支付条例》", "第四十五条", ItemKind.COMPLAINT, 3),
    ),
    "住房": (
        ("建筑施工安全检查", "《建设工程安全生产管理条例》", "第四十三条", ItemKind.TARGETED, 2),
        ("工程质量监督检查", "《建设工程质量管理条例》", "第四十七条", ItemKind.RANDOM, 1),
    ),
    "税务": (("发票使用管理检查", "《发票管理办法》", "第三十条", ItemKind.RANDOM, 1),),
    "公安": (("内部治安保卫检查", "《企业事业单位内部治安保卫条例》", "第十七条", ItemKind.RANDOM, 1),),
    "统计": (("统计数据质量检查", "《统计法》", "第三十三条", ItemKind.RANDOM, 1),),
    "自然资源": (("土地利用动态巡查", "《土地管理法》", "第六十七条", ItemKind.RANDOM, 1),),
    "综合执法": (
        ("市容环境卫生检查", "《城市市容和环境卫生管理条例》", "第三十二条", ItemKind.RANDOM, 1),
        ("违法建设投诉核查", "《城乡规划法》", "第五十三条", ItemKind.COMPLAINT, 2),
    ),
    "水务": (
        ("取水许可执行情况检查", "《取水许可和水资源费征收管理条例》", "第四十六条", ItemKind.RANDOM, 1),
    ),
    "城市管理": (("户外广告设施安全检查", "《城市市容和环境卫生管理条例》", "第十一条", ItemKind.RANDOM, 1),),
}
#: A department without items of its own publishes these (every department checks what it licensed).
GENERIC_ITEMS: tuple[tuple[str, str, str, ItemKind, int], ...] = (
    ("行政许可事项事中事后检查", "《行政许可法》", "第六十一条", ItemKind.RANDOM, 1),
    ("投诉举报线索核查", "《优化营商环境条例》", "第五十九条", ItemKind.COMPLAINT, 2),
    ("跨部门联合检查", "《优化营商环境条例》", "第五十五条", ItemKind.JOINT, 1),
)


def _items(
    park: Jurisdiction, departments: list[Department], today: dt.date
) -> dict[int, list[InspectionItem]]:
    """Every department's published list, by department."""
    published_at = dt.datetime.combine(today - dt.timedelta(days=400), dt.time(9), tzinfo=workdays.SHANGHAI)
    by_department: dict[int, list[InspectionItem]] = {}
    for department in departments:
        chosen = next((rows for word, rows in ITEMS.items() if word in department.name), GENERIC_ITEMS)
        by_department[department.pk] = InspectionItem.objects.bulk_create(
            [
                _filled(
                    InspectionItem(
                        jurisdiction=park,
                        department=department,
                        name=name,
                        law=law,
                        article=article,
                        kind=kind,
                        yearly_cap=cap,
                        is_published=True,
                        published_at=published_at,
                    )
                )
                for name, law, article, kind, cap in chosen
            ]
        )
    return by_department


def _partner(made: list[Inspection], department_pk: int, rng: random.Random) -> Inspection | None:
    """Now and then, another department's inspection to join (same firm, same day), if the
    firm has no visit of this department that day yet."""
    if not made or rng.random() >= JOINT_SHARE:
        return None
    partner = made[rng.randrange(max(0, len(made) - 50), len(made))]
    if partner.department_id == department_pk:
        return None
    return partner


def _refused(
    park: Jurisdiction,
    enterprise: Enterprise,
    item: InspectionItem,
    planned_on: dt.date,
    trigger: Trigger,
    warnings: list[str],
    pool: list[Inspector],
    rng: random.Random,
    at: dt.datetime,
) -> None:
    """An over-cap registration the handler sent to the office with a reason, which the
    office refused: no code, and the log says why."""
    asked = at - dt.timedelta(days=(at.date() - planned_on).days + 5)
    row = Inspection.objects.create(
        jurisdiction=park,
        enterprise=enterprise,
        department_id=item.department_id,
        item=item,
        legal_basis=item.legal_basis,
        task=item.name,
        trigger=trigger,
        plan_reference=f"年度检查计划〔{planned_on.year}〕1号" if trigger == Trigger.PLAN else "",
        trigger_note="" if trigger == Trigger.PLAN else str(trigger.label),
        planned_on=planned_on,
        code=None,
        cap_warnings=warnings,
        exception_reason="计划检查与专项检查时间冲突，申请同期检查",
        state=InspectionState.REFUSED,
        version=2,
        last_changed_at=asked,
    )
    row.inspectors.set(rng.sample(pool, 2))
    for action, from_state, to_state, note, when in (
        (InspectionAction.CREATE, "", InspectionState.AWAITING, "超频次检查，报营商办审批", asked),
        (
            InspectionAction.REFUSE,
            InspectionState.AWAITING,
            InspectionState.REFUSED,
            "请与已登记的检查合并进行",
            asked + dt.timedelta(hours=3),
        ),
    ):
        InspectionEvent.objects.create(
            inspection=row,
            jurisdiction_path=row.jurisdiction_path,
            action=action,
            from_state=from_state,
            to_state=to_state,
            note=note,
            at=when,
        )
    Inspection.objects.filter(pk=row.pk).update(created_at=asked)


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
    for row in (
        Inspection.objects.filter(jurisdiction=park).exclude(state=InspectionState.REFUSED).order_by("pk")
    ):
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
