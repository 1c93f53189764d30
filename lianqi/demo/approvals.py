"""The demo park's approvals made short (seeds 002, 003: 一图三单, 容缺审批, 并联审批, the whole
chain within 30 working days): a chart and three lists for each kind of key project, with the
departments, legal bases, time limits, fees and materials an office publishes, and a run for each
of the park's key projects that has reached its approvals, taken step by step through the actions
on the holiday calendar: most finished within 30 working days, a few over, some items accepted
with materials missing (容缺), one or two of those promises broken.

Deterministic: the same seed and `today` give the same charts and runs."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from lianqi.accounts.models import User
from lianqi.approvals import actions, flow, queries
from lianqi.approvals.choices import MaterialForm
from lianqi.approvals.models import Chart, Item, Run, RunItem
from lianqi.core import workdays
from lianqi.core.calendar_store import get_calendar
from lianqi.core.roles import Role
from lianqi.org.models import Jurisdiction
from lianqi.projects.choices import ProjectKind, ProjectStage
from lianqi.projects.models import Project

from .log import CHINESE, Say

ORIG, COPY, ELEC = MaterialForm.ORIGINAL, MaterialForm.COPY, MaterialForm.ELECTRONIC

#: A chart as data: stages (name, counted in the promise), then items: (stage index, name,
#: department, committed days, statutory days, basis, 容缺 allowed, prerequisites by name,
#: materials as (name, source, form, copies, 容缺)).
INDUSTRIAL: dict[str, Any] = {
    "name": "社会投资工业项目审批“一图三单”",
    "note": "拿地即开工：土地出让前完成方案审查，施工图审查与规划许可并联，施工许可容缺受理。全流程承诺30个工作日内办结（不含竣工验收）。",
    "stages": [
        ("立项用地规划许可阶段", True),
        ("工程建设许可阶段", True),
        ("施工许可阶段", True),
        ("竣工验收阶段", False),
    ],
    "items": [
        (
            0,
            "企业投资项目备案",
            "发展和改革局",
            1,
            3,
            "《企业投资项目核准和备案管理条例》第十三条",
            False,
            [],
            [
                ("企业投资项目备案信息表", "建设单位", ELEC, 1, False),
                ("营业执照", "市场监管部门", COPY, 1, False),
            ],
        ),
        (
            0,
            "建设项目用地预审与选址意见书",
            "自然资源局",
            5,
            20,
            "《土地管理法》第五十二条；《城乡规划法》第三十六条",
            True,
            ["企业投资项目备案"],
            [
                ("建设项目用地预审与选址申请表", "建设单位", ORIG, 1, False),
                ("建设项目用地预审与选址申请报告", "建设单位", ORIG, 1, False),
                ("标注项目用地范围的国土空间规划图", "建设单位", ORIG, 1, True),
                ("项目备案证明", "发展和改革局", COPY, 1, False),
            ],
        ),
        (
            0,
            "环境影响评价审批",
            "生态环境分局",
            5,
            30,
            "《环境影响评价法》第二十二条",
            True,
            ["企业投资项目备案"],
            [
                ("建设项目环境影响报告表", "环评单位", ORIG, 2, False),
                ("环评公众参与说明", "建设单位", ORIG, 1, True),
            ],
        ),
        (
            0,
            "节能审查",
            "发展和改革局",
            5,
            20,
            "《固定资产投资项目节能审查办法》第十一条",
            False,
            ["企业投资项目备案"],
            [
                ("节能报告", "编制单位", ORIG, 2, False),
            ],
        ),
        (
            0,
            "建设用地规划许可证",
            "自然资源局",
            3,
            20,
            "《城乡规划法》第三十八条",
            True,
            ["建设项目用地预审与选址意见书"],
            [
                ("建设用地规划许可申请表", "建设单位", ORIG, 1, False),
                ("国有建设用地使用权出让合同", "自然资源局", COPY, 1, False),
                ("宗地红线图", "自然资源局", ORIG, 1, True),
            ],
        ),
        (
            0,
            "不动产权证书（土地）",
            "不动产登记中心",
            3,
            30,
            "《不动产登记暂行条例》第二十条",
            True,
            ["建设用地规划许可证"],
            [
                ("不动产登记申请书", "建设单位", ORIG, 1, False),
                ("土地出让价款缴纳凭证", "财政部门", COPY, 1, False),
                ("契税完税凭证", "税务部门", COPY, 1, True),
            ],
        ),
        (
            1,
            "建设工程规划许可证",
            "自然资源局",
            5,
            20,
            "《城乡规划法》第四十条",
            True,
            ["建设用地规划许可证"],
            [
                ("建设工程规划许可申请表", "建设单位", ORIG, 1, False),
                ("建设工程设计方案（总平面图）", "设计单位", ORIG, 2, False),
                ("不动产权证书（土地）", "不动产登记中心", COPY, 1, True),
            ],
        ),
        (
            1,
            "施工图设计文件审查（含消防、人防、技防）",
            "住房和城乡建设局",
            5,
            15,
            "《建设工程勘察设计管理条例》；《建设工程消防设计审查验收管理暂行规定》",
            True,
            ["建设用地规划许可证"],
            [
                ("施工图设计文件", "设计单位", ELEC, 1, False),
                ("岩土工程勘察报告", "勘察单位", ELEC, 1, False),
                ("消防设计文件", "设计单位", ELEC, 1, True),
            ],
        ),
        (
            2,
            "工程质量安全监督登记",
            "住房和城乡建设局",
            1,
            5,
            "《建设工程质量管理条例》第十三条",
            False,
            ["施工图设计文件审查（含消防、人防、技防）"],
            [
                ("工程质量安全监督登记表", "建设单位", ORIG, 1, False),
            ],
        ),
        (
            2,
            "建筑工程施工许可证",
            "住房和城乡建设局",
            3,
            7,
            "《建筑法》第七条；《建筑工程施工许可管理办法》",
            True,
            ["建设工程规划许可证", "工程质量安全监督登记", "不动产权证书（土地）"],
            [
                ("建筑工程施工许可申请表", "建设单位", ORIG, 1, False),
                ("施工合同", "建设单位", COPY, 1, False),
                ("监理合同", "建设单位", COPY, 1, True),
                ("建设资金落实承诺书", "建设单位", ORIG, 1, False),
            ],
        ),
        (
            3,
            "竣工联合验收",
            "住房和城乡建设局（牵头）",
            10,
            20,
            "《房屋建筑和市政基础设施工程竣工验收规定》",
            False,
            ["建筑工程施工许可证"],
            [
                ("工程竣工验收报告", "建设单位", ORIG, 1, False),
                ("竣工测绘成果", "测绘单位", ELEC, 1, False),
            ],
        ),
    ],
}

GOVERNMENT: dict[str, Any] = {
    "name": "政府投资项目审批“一图三单”",
    "note": "可行性研究报告与用地、环评并联审批；初步设计审批后即可施工图审查。全流程承诺30个工作日内办结（不含竣工验收）。",
    "stages": [
        ("立项用地规划许可阶段", True),
        ("工程建设许可阶段", True),
        ("施工许可阶段", True),
        ("竣工验收阶段", False),
    ],
    "items": [
        (
            0,
            "项目建议书审批",
            "发展和改革局",
            3,
            20,
            "《政府投资条例》第九条",
            False,
            [],
            [
                ("项目建议书", "编制单位", ORIG, 2, False),
            ],
        ),
        (
            0,
            "建设项目用地预审与选址意见书",
            "自然资源局",
            5,
            20,
            "《土地管理法》第五十二条",
            True,
            ["项目建议书审批"],
            [
                ("建设项目用地预审与选址申请表", "建设单位", ORIG, 1, False),
                ("标注项目用地范围的国土空间规划图", "建设单位", ORIG, 1, True),
            ],
        ),
        (
            0,
            "环境影响评价审批",
            "生态环境分局",
            5,
            30,
            "《环境影响评价法》第二十二条",
            True,
            ["项目建议书审批"],
            [
                ("建设项目环境影响报告表", "环评单位", ORIG, 2, False),
                ("环评公众参与说明", "建设单位", ORIG, 1, True),
            ],
        ),
        (
            0,
            "可行性研究报告审批",
            "发展和改革局",
            5,
            20,
            "《政府投资条例》第九条",
            True,
            ["建设项目用地预审与选址意见书"],
            [
                ("可行性研究报告", "编制单位", ORIG, 2, False),
                ("社会稳定风险评估报告", "编制单位", ORIG, 1, True),
            ],
        ),
        (
            0,
            "建设用地规划许可证",
            "自然资源局",
            3,
            20,
            "《城乡规划法》第三十七条",
            False,
            ["可行性研究报告审批"],
            [
                ("建设用地规划许可申请表", "建设单位", ORIG, 1, False),
                ("划拨决定书", "自然资源局", COPY, 1, False),
            ],
        ),
        (
            1,
            "初步设计审批",
            "发展和改革局",
            5,
            20,
            "《政府投资条例》第十一条",
            False,
            ["可行性研究报告审批"],
            [
                ("初步设计文件及概算", "设计单位", ORIG, 2, False),
            ],
        ),
        (
            1,
            "建设工程规划许可证",
            "自然资源局",
            5,
            20,
            "《城乡规划法》第四十条",
            True,
            ["建设用地规划许可证"],
            [
                ("建设工程设计方案（总平面图）", "设计单位", ORIG, 2, False),
                ("土地权属证明", "自然资源局", COPY, 1, True),
            ],
        ),
        (
            1,
            "施工图设计文件审查",
            "住房和城乡建设局",
            5,
            15,
            "《建设工程勘察设计管理条例》",
            True,
            ["初步设计审批"],
            [
                ("施工图设计文件", "设计单位", ELEC, 1, False),
                ("消防设计文件", "设计单位", ELEC, 1, True),
            ],
        ),
        (
            2,
            "建筑工程施工许可证",
            "住房和城乡建设局",
            3,
            7,
            "《建筑法》第七条",
            True,
            ["建设工程规划许可证", "施工图设计文件审查"],
            [
                ("建筑工程施工许可申请表", "建设单位", ORIG, 1, False),
                ("施工合同", "建设单位", COPY, 1, False),
                ("监理合同", "建设单位", COPY, 1, True),
            ],
        ),
        (
            3,
            "竣工联合验收",
            "住房和城乡建设局（牵头）",
            10,
            20,
            "《房屋建筑和市政基础设施工程竣工验收规定》",
            False,
            ["建筑工程施工许可证"],
            [
                ("工程竣工验收报告", "建设单位", ORIG, 1, False),
            ],
        ),
    ],
}

CHARTS: dict[str, dict[str, Any]] = {
    ProjectKind.INDUSTRIAL: INDUSTRIAL,
    ProjectKind.INFRASTRUCTURE: {**GOVERNMENT, "name": "政府投资基础设施项目审批“一图三单”"},
    ProjectKind.PUBLIC_SERVICE: {**GOVERNMENT, "name": "政府投资社会民生项目审批“一图三单”"},
}

#: Chance that an item the chart allows to be accepted with materials missing is.
LENIENT_SHARE = 0.45


@dataclass
class ApprovalFigures:
    """What the demo made of approvals, for the log and the tests."""

    charts: int = 0
    runs: int = 0
    finished: int = 0
    within_target: int = 0
    lenient: int = 0
    overdue_promises: int = 0

    def describe(self, say: Say = CHINESE) -> str:
        return say(
            f"  项目审批：一图三单 {self.charts} 张，{self.runs} 个项目启动审批，{self.finished} 个全部办结"
            f"（{self.within_target} 个在30个工作日内），容缺受理 {self.lenient} 项，逾期未补齐 {self.overdue_promises} 项",
            f"  Approvals: {self.charts} charts, {self.runs} project runs, {self.finished} finished "
            f"({self.within_target} within 30 working days), {self.lenient} items accepted with materials missing, "
            f"{self.overdue_promises} promises overdue",
        )


def _build_chart(park: Jurisdiction, kind: str, data: dict[str, Any], office: User) -> Chart:
    chart = actions.create_chart(
        jurisdiction=park, project_kind=kind, name=data["name"], actor=office, note=data["note"]
    )
    stages = [actions.add_stage(chart=chart, name=n, actor=office, counted=c) for n, c in data["stages"]]
    by_name: dict[str, Item] = {}
    for stage, name, department, days, statutory, basis, lenient, pres, materials in data["items"]:
        item = actions.add_item(
            chart=chart,
            stage=stages[stage],
            name=name,
            department=department,
            time_limit=days,
            statutory_limit=statutory,
            basis=basis,
            place=f"{park.name}政务服务中心工程建设项目审批综合窗口",
            lenient=lenient,
            prerequisites=[by_name[p] for p in pres],
            actor=office,
        )
        by_name[name] = item
        for material, source, form, copies, may_wait in materials:
            actions.add_material(
                item=item,
                name=material,
                source=source,
                form=form,
                copies=copies,
                lenient=may_wait,
                actor=office,
            )
    return chart


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(17, 30), tzinfo=workdays.SHANGHAI)


def _run(
    project: Project,
    chart: Chart,
    *,
    start: dt.date,
    today: dt.date,
    office: User,
    rng: random.Random,
    slow: bool,
    figures: ApprovalFigures,
) -> None:
    """Take a project's run step by step up to `today`: each item applied for once its
    prerequisites are done, accepted (some under 容缺), approved within about its time limit
    (a `slow` run's items overrun theirs); items after construction only once the project is completed."""
    cal = get_calendar()

    def plus(day: dt.date, n: int) -> dt.date:
        return workdays.add_workdays(day, n, cal).day

    run = actions.start_run(project=project, actor=office, on=start, at=_at(start))
    rows = {r.item_id: r for r in RunItem.objects.filter(run=run).select_related("item__stage")}
    items = queries.chart_items(chart)
    order = flow.topological_order(
        [flow.Node(i.pk, i.time_limit, tuple(p.pk for p in i.prerequisites.all())) for i in items]
    )
    by_pk = {i.pk: i for i in items}
    done: dict[int, dt.date | None] = {}
    completed_on = project.completed_on
    for key in order:
        item = by_pk[key]
        row = rows[key]
        pres = [p.pk for p in item.prerequisites.all()]
        if flow.blocking(pres, done):
            done[key] = None
            continue
        ready = flow.earliest_start_day(pres, done) or start
        if not item.stage.counted:
            if completed_on is None or completed_on < ready:
                done[key] = None
                continue
            ready = completed_on
        submitted = plus(ready, rng.choice((0, 0, 0, 1)))
        if submitted > today:
            done[key] = None
            continue
        row = actions.submit_item(
            run_item=row, actor=office, expected_version=row.version, on=submitted, at=_at(submitted)
        )
        if rng.random() < 0.04 and plus(submitted, 1) <= today:
            returned = plus(submitted, 1)
            row = actions.return_item(
                run_item=row,
                actor=office,
                expected_version=row.version,
                on=returned,
                note="申请表填写不完整，请补正后重新申报",
                at=_at(returned),
            )
            submitted = plus(returned, 1)
            if submitted > today:
                done[key] = None
                continue
            row = actions.submit_item(
                run_item=row, actor=office, expected_version=row.version, on=submitted, at=_at(submitted)
            )
        accepted = submitted
        waiting = [m for m in item.materials.all() if m.lenient]
        if item.lenient and waiting and rng.random() < LENIENT_SHARE:
            missing = rng.sample(waiting, k=1)
            promise = plus(accepted, rng.choice((5, 8, 10)))
            row = actions.accept_item_leniently(
                run_item=row,
                actor=office,
                expected_version=row.version,
                on=accepted,
                missing=missing,
                promise_on=promise,
                at=_at(accepted),
            )
            figures.lenient += 1
        else:
            row = actions.accept_item(
                run_item=row, actor=office, expected_version=row.version, on=accepted, at=_at(accepted)
            )
        span = (
            item.time_limit - rng.choice((0, 0, 1, 1, 2))
            if not slow
            else item.time_limit + rng.choice((1, 2, 3))
        )
        approved = plus(accepted, max(0, min(span, item.time_limit + 3)))
        if approved > today:
            done[key] = None
        else:
            row = actions.approve_item(
                run_item=row, actor=office, expected_version=row.version, on=approved, at=_at(approved)
            )
            done[key] = approved
        if row.lenient and row.promise_on is not None:
            late = rng.random() < 0.12
            supplied = (
                plus(row.promise_on, rng.choice((1, 2, 4))) if late else plus(accepted, rng.choice((2, 3, 4)))
            )
            supplied = max(supplied, accepted)
            if supplied <= today:
                row.refresh_from_db()
                actions.supply_item(
                    run_item=row, actor=office, expected_version=row.version, on=supplied, at=_at(supplied)
                )
            elif today > row.promise_on:
                figures.overdue_promises += 1


def build_demo_approvals(*, park: Jurisdiction, seed: int, today: dt.date) -> ApprovalFigures:
    """The charts of `park` (the demo's main park) and a run for each of its key projects that
    has reached its approvals."""
    rng = random.Random(f"{seed}-approvals")
    figures = ApprovalFigures()
    office = (
        User.objects.filter(groups__name=Role.SERVICE_OFFICE, jurisdiction__path__startswith=park.path)
        .order_by("pk")
        .first()
    )
    if office is None:
        return figures
    charts: dict[str, Chart] = {kind: _build_chart(park, kind, data, office) for kind, data in CHARTS.items()}
    figures.charts = len(charts)
    cal = get_calendar()
    projects = list(Project.objects.filter(jurisdiction=park).order_by("signed_on", "pk"))
    for index, project in enumerate(projects):
        chart = charts.get(project.kind)
        if chart is None:
            continue
        if project.state == ProjectStage.SIGNED:
            # A project signed lately is in its approvals now; the first is barely started.
            start = today - dt.timedelta(days=rng.randrange(10, 35))
        else:
            start = project.signed_on + dt.timedelta(days=rng.randrange(5, 20))
        start = workdays.next_workday(start - dt.timedelta(days=1), cal).day
        if start > today:
            continue
        # One run in eight drags past the promise (an item over its limit each step).
        slow = index % 8 == 5
        _run(project, chart, start=start, today=today, office=office, rng=rng, slow=slow, figures=figures)
        figures.runs += 1
    for run in Run.objects.filter(jurisdiction=park, finished_on__isnull=False):
        figures.finished += 1
        taken = workdays.workdays_between(run.started_on, run.finished_on or run.started_on, cal).days
        figures.within_target += taken <= run.target_workdays
    return figures
