"""The demo park's key projects (seed 003: 23个重点项目，年度计划投资23.29亿元，完成20.9亿元，
完成率89.7%): the portfolio with its owners, leaders and departments, a battle map per project
(a few milestones late), this year's monthly reports adding up to the seed's figures to the fen,
and the weekly dispatch meeting's eight latest meetings, whose decisions are the demands the
demo's demand builder took to the dispatch meeting (so its demand figures stay seed 001's).

Deterministic: the same seed, scale and `today` give the same projects, reports and meetings."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from lianqi.accounts.models import User
from lianqi.core import workdays
from lianqi.core.roles import Role
from lianqi.demands.choices import Channel, DemandState, Venue
from lianqi.demands.models import Demand
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department, Jurisdiction
from lianqi.projects.actions.meetings import hold_meeting
from lianqi.projects.choices import (
    LEAD_DATE_FIELDS,
    PIPELINE,
    STAGE_DATE_FIELDS,
    Cadence,
    LeadAction,
    LeadStage,
    ProjectAction,
    ProjectKind,
    ProjectLevel,
    ProjectStage,
    SeriesKind,
)
from lianqi.projects.models import (
    Decision,
    Lead,
    LeadEvent,
    MeetingSeries,
    Milestone,
    ProgressReport,
    Project,
    ProjectEvent,
)

#: Seed 003 at scale 1: the portfolio, its yearly plan and what was done.
PROJECTS = 23
YEAR_PLAN = Decimal("2329000000.00")
YEAR_DONE = Decimal("2090000000.00")
FEN = Decimal("0.01")

NAMES = (
    "年产10万吨特种电缆",
    "新能源汽车电机产业园",
    "高端装备制造基地",
    "智能终端产业园二期",
    "锂电池正极材料",
    "精密铸造技改扩能",
    "电子信息产业园标准厂房",
    "生物医药中试基地",
    "绿色建材产业园",
    "现代物流园",
    "园区污水处理厂提标",
    "110千伏输变电工程",
    "创新创业服务中心",
    "人才公寓",
    "职教实训基地",
    "数据中心一期",
    "轨道交通装备配套",
    "工业互联网平台",
    "光伏组件智能工厂",
    "食品精深加工园",
    "五金工具产业园",
    "园区主干道提质改造",
    "邻里中心",
)
KINDS = {
    ProjectKind.INFRASTRUCTURE: (
        "园区污水处理厂提标",
        "110千伏输变电工程",
        "园区主干道提质改造",
        "现代物流园",
    ),
    ProjectKind.PUBLIC_SERVICE: ("人才公寓", "职教实训基地", "邻里中心", "创新创业服务中心"),
}
LEADERS = ("刘志强", "陈建华", "王丽", "周国平", "李卫东")
MILESTONES = ("土地摘牌", "开工建设", "主体封顶", "竣工验收", "投产达效")
STAGES = list(ProjectStage)
#: The dispatch meetings the demo records (its latest meeting days).
MEETING_WEEKS = 8


@dataclass
class ProjectFigures:
    """What the demo made of key projects, for the command to print and the tests to check."""

    projects: int = 0
    year_plan: Decimal = Decimal(0)
    year_done: Decimal = Decimal(0)
    reports: int = 0
    meetings: int = 0
    decisions: int = 0
    #: The attraction pipeline (seed 002: 41 projects signed this year, ¥4.33bn).
    leads: int = 0
    signed: int = 0
    signed_amount: Decimal = Decimal(0)


def _split(total: Decimal, weights: list[float]) -> list[Decimal]:
    """`total` split in proportion to `weights`, to the fen, the remainder on the last part."""
    whole = sum(weights)
    parts = [(total * Decimal(w / whole)).quantize(FEN) for w in weights[:-1]]
    return [*parts, total - sum(parts, Decimal(0))]


def build_demo_projects(*, park: Jurisdiction, seed: int, scale: float, today: dt.date) -> ProjectFigures:
    """The key projects of `park` (the demo's main park) and their dispatch meetings."""
    rng = random.Random(f"{seed}-projects")
    # A park's key projects do not shrink with its number of enterprises: seed 003's 23 at any scale.
    count = PROJECTS
    year = today.year if today.month > 1 else today.year - 1
    months = list(range(1, (today.month if year == today.year else 13)))
    plan_total, done_total = YEAR_PLAN, YEAR_DONE
    office = (
        User.objects.filter(groups__name=Role.SERVICE_OFFICE, jurisdiction__path__startswith=park.path)
        .order_by("pk")
        .first()
    )
    departments = list(Department.objects.filter(jurisdiction=park, is_active=True).order_by("pk"))
    owners = list(Enterprise.objects.filter(jurisdiction_path__startswith=park.path).order_by("pk")[:400])
    # The enterprises whose demands the dispatch meeting took lately own industrial projects.
    dispatch_demands = _dispatch_demands(park, today)
    meeting_owners = list(
        Enterprise.objects.filter(pk__in={d.enterprise_id for d in dispatch_demands}).order_by("pk")
    )
    plans = _split(plan_total, [rng.uniform(0.3, 3.0) for _ in range(count)])
    # Each project's share of the year done, drawn, then scaled so the portfolio meets the seed.
    done = _split(done_total, [float(p) * rng.uniform(0.55, 1.2) for p in plans])
    projects = []
    for index in range(count):
        name = NAMES[index % len(NAMES)] + (
            "项目" if index < len(NAMES) else f"项目（{index // len(NAMES) + 1}）"
        )
        base = NAMES[index % len(NAMES)]
        kind = next((k for k, names in KINDS.items() if base in names), ProjectKind.INDUSTRIAL)
        stage = STAGES[min(len(STAGES) - 1, int(rng.triangular(0, len(STAGES), 2)))]
        signed = dt.date(year - 1, 1, 1) + dt.timedelta(days=rng.randrange(300))
        dates = {}
        for step, reached in enumerate(STAGES[: STAGES.index(stage) + 1]):
            dates[STAGE_DATE_FIELDS[reached]] = min(today, signed + dt.timedelta(days=75 * step))
        plan = plans[index]
        owner = None
        if kind == ProjectKind.INDUSTRIAL and owners:
            owner = meeting_owners.pop(0) if meeting_owners else rng.choice(owners)
        projects.append(
            Project(
                jurisdiction=park,
                jurisdiction_path=park.path,
                name=name,
                enterprise=owner,
                owner_name="" if owner else f"{park.name}建设投资有限公司",
                kind=kind,
                level=rng.choices(list(ProjectLevel), weights=(1, 3, 4))[0],
                industry=""
                if kind != ProjectKind.INDUSTRIAL
                else rng.choice(("先进制造", "电子信息", "新材料")),
                location=park.name,
                total_investment=(plan * Decimal(rng.choice(("1.5", "2", "2.5", "3")))).quantize(FEN),
                plan_year=year,
                year_plan=plan,
                leader=rng.choice(LEADERS),
                department=rng.choice(departments),
                task_force=f"{rng.choice(LEADERS)}（组长）",
                state=stage,
                **dates,
                last_actor=office,
                last_changed_at=timezone.now(),
            )
        )
    Project.objects.bulk_create(projects)
    ProjectEvent.objects.bulk_create(
        ProjectEvent(
            project=p,
            jurisdiction_path=p.jurisdiction_path,
            action=ProjectAction.CREATE,
            from_state="",
            to_state=p.state,
            actor=office,
            at=dt.datetime.combine(p.signed_on, dt.time(9), tzinfo=workdays.SHANGHAI),
        )
        for p in projects
    )
    milestones, reports = [], []
    for project, year_done in zip(projects, done, strict=True):
        start = dt.date(year, 1, 15)
        # A quarter of the projects have their latest due milestone still open: slipped on the map.
        due = [step for step in range(len(MILESTONES)) if start + dt.timedelta(days=70 * step + 60) < today]
        late_step = due[-1] if due and rng.random() < 0.25 else None
        for step, label in enumerate(MILESTONES):
            planned_start = start + dt.timedelta(days=70 * step)
            planned_end = planned_start + dt.timedelta(days=60)
            past = planned_end < today
            actual_start = (
                planned_start + dt.timedelta(days=rng.randrange(0, 6)) if planned_start < today else None
            )
            actual_end = None
            if past and actual_start and step != late_step:
                actual_end = min(today, planned_end + dt.timedelta(days=rng.choice((-3, 0, 0, 2, 9))))
            milestones.append(
                Milestone(
                    project=project,
                    name=label,
                    owner=project.leader,
                    planned_start=planned_start,
                    planned_end=planned_end,
                    actual_start=actual_start,
                    actual_end=actual_end if actual_start else None,
                    order=step * 10,
                )
            )
        so_far = Decimal(0)
        for month, invested in zip(
            months, _split(year_done, [rng.uniform(0.5, 1.5) for _ in months]), strict=True
        ):
            so_far += invested
            reports.append(
                ProgressReport(
                    project=project,
                    period=dt.date(year, month, 1),
                    invested=invested,
                    year_to_date=so_far,
                    progress=rng.choice(
                        ("按计划推进", "主体结构施工", "设备安装调试", "场地平整", "桩基施工")
                    ),
                    reported_by=office,
                )
            )
    Milestone.objects.bulk_create(milestones)
    ProgressReport.objects.bulk_create(reports)
    figures = ProjectFigures(len(projects), plan_total, done_total if months else Decimal(0), len(reports))
    _dispatch(figures, park=park, demands=dispatch_demands, office=office, rng=rng)
    _pipeline(figures, park=park, office=office, rng=random.Random(f"{seed}-pipeline"), today=today)
    return figures


def _dispatch_demands(park: Jurisdiction, today: dt.date) -> list[Demand]:
    """The demands the demo's demand builder took to the dispatch meeting (filed through it, or
    escalated to it) on its latest `MEETING_WEEKS` meeting days: the decisions of those meetings."""
    taken = (
        Demand.objects.filter(
            Q(channel=Channel.DISPATCH_MEETING) | Q(venue=Venue.DISPATCH_MEETING),
            jurisdiction_path__startswith=park.path,
            received_at__date__lte=today,
        )
        .exclude(state=DemandState.RECEIVED)
        .order_by("-received_at", "-pk")
    )
    days: set[dt.date] = set()
    chosen = []
    for demand in taken[:2000]:
        day = timezone.localtime(demand.received_at).date()
        if day not in days and len(days) == MEETING_WEEKS:
            break
        days.add(day)
        chosen.append(demand)
    return chosen[::-1]


def _dispatch(
    figures: ProjectFigures,
    *,
    park: Jurisdiction,
    demands: list[Demand],
    office: User | None,
    rng: random.Random,
) -> None:
    """The weekly dispatch meeting: one meeting on each day demands were taken to it, whose decisions are those demands (already assigned and followed by the demand
    builder, so the demo's demand figures stay seed 001's), each on the project its enterprise owns."""
    if office is None:
        return
    series = MeetingSeries.objects.create(jurisdiction=park, name="重点项目周调度会", cadence=Cadence.WEEKLY)
    MeetingSeries.objects.create(jurisdiction=park, name="重点项目月度分析会", cadence=Cadence.MONTHLY)
    # The reception day's roundtable: its meetings take the demands escalated to the roundtable.
    MeetingSeries.objects.create(
        jurisdiction=park,
        name="亲商优商企业接待日圆桌会",
        cadence=Cadence.MONTHLY,
        kind=SeriesKind.ROUNDTABLE,
    )
    owned = {p.enterprise_id: p for p in Project.objects.filter(jurisdiction=park, enterprise__isnull=False)}
    by_day: dict[dt.date, list[Demand]] = {}
    for demand in demands:
        if demand.enterprise_id in owned:
            by_day.setdefault(timezone.localtime(demand.received_at).date(), []).append(demand)
    for held_on, taken in sorted(by_day.items()):
        meeting = hold_meeting(
            series=series,
            actor=office,
            held_on=held_on,
            attendees="、".join(rng.sample(LEADERS, 3)),
            minutes="听取重点项目推进情况汇报，研究解决项目建设中的困难问题。",
            at=dt.datetime.combine(held_on, dt.time(18), tzinfo=workdays.SHANGHAI),
        )
        figures.meetings += 1
        Decision.objects.bulk_create(
            Decision(meeting=meeting, project=owned[d.enterprise_id], text=d.description[:200], demand=d)
            for d in taken
        )
        figures.decisions += len(taken)


#: Seed 002: projects signed this year and what they are worth.
SIGNED_THIS_YEAR = 41
SIGNED_AMOUNT = Decimal("4330000000.00")
LEAD_SUBJECTS = (
    "新能源汽车零部件",
    "锂电池隔膜",
    "高端数控机床",
    "工业机器人减速器",
    "半导体封装测试",
    "精密光学元件",
    "特种钢材深加工",
    "风电装备",
    "智能家电",
    "医疗器械",
    "生物制药原料",
    "预制菜加工",
    "冷链物流",
    "电子元器件",
    "5G通信模组",
    "碳纤维复合材料",
    "氢能装备",
    "环保新材料",
    "智能仓储",
    "汽车线束",
)
INVESTORS = ("深圳", "东莞", "苏州", "宁波", "长沙", "武汉", "上海", "杭州", "佛山", "厦门")


def _pipeline(
    figures: ProjectFigures, *, park: Jurisdiction, office: User | None, rng: random.Random, today: dt.date
) -> None:
    """The park's attraction pipeline: this year's 41 signings worth ¥4.33bn to the fen (a
    dozen of them ¥100m or more), each carried as far as its dates allow (registered, land,
    started, a few in production the same year), last year's signings further on, and leads
    still in talks or dropped."""
    year = today.year if today.month > 1 else today.year - 1
    weights = [
        rng.uniform(2.5, 6.0) if i % 3 == 0 else rng.uniform(0.3, 1.6) for i in range(SIGNED_THIS_YEAR)
    ]
    amounts = _split(SIGNED_AMOUNT, weights)
    year_start = dt.date(year, 1, 1)
    span = max(1, (min(today, dt.date(year, 12, 31)) - year_start).days)
    rows: list[Lead] = []

    def lead(
        index: int, found: dt.date, stages: int, amount: Decimal | None, dropped: dt.date | None = None
    ) -> Lead:
        subject = LEAD_SUBJECTS[index % len(LEAD_SUBJECTS)]
        dates: dict[str, dt.date] = {}
        day = found
        for stage in PIPELINE[: stages + 1]:
            dates[LEAD_DATE_FIELDS[stage]] = min(day, today)
            day = day + dt.timedelta(days=rng.randrange(12, 60))
        state = LeadStage.DROPPED if dropped else PIPELINE[stages]
        return Lead(
            jurisdiction=park,
            jurisdiction_path=park.path,
            name=f"{subject}项目"
            + ("" if index < len(LEAD_SUBJECTS) else f"（{index // len(LEAD_SUBJECTS) + 1}期）"),
            investor=f"{rng.choice(INVESTORS)}{rng.choice(('华', '恒', '鑫', '科', '中', '远'))}{rng.choice(('创', '达', '盛', '泰'))}{subject[:2]}有限公司",
            industry=rng.choice(("先进制造", "电子信息", "新材料", "生物医药", "现代物流")),
            amount=amount,
            state=state,
            dropped_on=dropped,
            last_actor=office,
            **dates,
        )

    for index, amount in enumerate(amounts):
        signed = year_start + dt.timedelta(days=rng.randrange(span))
        found = signed - dt.timedelta(days=rng.randrange(30, 120))
        row = lead(index, found, 2, amount)
        row.talks_on, row.signed_on = found + (signed - found) / 2, signed
        # Carry it on: each later stage 20–70 days after the one before, as far as today allows.
        day, reached = signed, 2
        for stage in PIPELINE[3:]:
            day = day + dt.timedelta(days=rng.randrange(20, 70))
            if day > today or rng.random() < 0.15:
                break
            setattr(row, LEAD_DATE_FIELDS[stage], day)
            reached = PIPELINE.index(stage)
        row.state = PIPELINE[reached]
        rows.append(row)
    for index in range(12):
        signed = dt.date(year - 1, 1, 1) + dt.timedelta(days=rng.randrange(330))
        row = lead(
            SIGNED_THIS_YEAR + index,
            signed - dt.timedelta(days=60),
            2,
            Decimal(rng.randrange(30, 300) * 1_000_000),
        )
        row.talks_on, row.signed_on = signed - dt.timedelta(days=30), signed
        day, reached = signed, 2
        for stage in PIPELINE[3:]:
            day = day + dt.timedelta(days=rng.randrange(30, 90))
            if day > today:
                break
            setattr(row, LEAD_DATE_FIELDS[stage], day)
            reached = PIPELINE.index(stage)
        row.state = PIPELINE[reached]
        rows.append(row)
    for index in range(26):
        found = today - dt.timedelta(days=rng.randrange(10, 200))
        stages = 1 if rng.random() < 0.6 else 0
        dropped = None
        if rng.random() < 0.3:
            stages = 1
            dropped = min(today, found + dt.timedelta(days=rng.randrange(40, 100)))
        rows.append(lead(SIGNED_THIS_YEAR + 12 + index, found, stages, None, dropped))
    for row in rows:
        if row.dropped_on and row.talks_on and row.dropped_on < row.talks_on:
            row.dropped_on = row.talks_on
    Lead.objects.bulk_create(rows)
    LeadEvent.objects.bulk_create(
        LeadEvent(
            lead=row,
            jurisdiction_path=row.jurisdiction_path,
            action=LeadAction.CREATE,
            from_state="",
            to_state=row.state,
            actor=office,
            at=dt.datetime.combine(row.found_on, dt.time(9), tzinfo=workdays.SHANGHAI),
        )
        for row in rows
    )
    figures.leads = len(rows)
    figures.signed = sum(1 for row in rows if row.signed_on and row.signed_on.year == year)
    figures.signed_amount = sum(
        (row.amount or Decimal(0) for row in rows if row.signed_on and row.signed_on.year == year), Decimal(0)
    )
