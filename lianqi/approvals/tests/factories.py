"""Builders for approvals' tests: a small chart (立项 → 用地预审 ∥ 规划许可 → 施工许可), a project's
run started from it, a run item placed directly in any state of its lifecycle (so each step is
tested from its own starting point), the actor of each workflow role, and input that satisfies
each step's needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.enterprises.models import Enterprise
from lianqi.projects.models import Project
from lianqi.projects.tests.factories import make_project
from lianqi.testing.world import Side, World

from .. import actions
from ..choices import ItemState
from ..models import Chart, Item, Run, RunItem
from ..workflow import ENTERPRISE

#: A Monday; the run starts the Monday before.
AT = dt.datetime(2025, 3, 10, 9, 30, tzinfo=SHANGHAI)
STARTED = dt.date(2025, 3, 3)
PROJECT = "年产5万吨特种电缆项目"


def make_chart(world: World, side: Side | None = None) -> Chart:
    """A park's industrial chart: 立项备案 (2 days) first; 用地预审 (5) and 规划许可 (3, 容缺
    allowed) in parallel after it; 施工许可 (4) after both. Critical path: 立项 → 用地 → 施工, 11 days."""
    side = side or world.home
    office = side.users[Role.SERVICE_OFFICE]
    chart = actions.create_chart(
        jurisdiction=side.park, project_kind="industrial", name="工业项目审批一图三单", actor=office
    )
    first = actions.add_stage(chart=chart, name="立项用地规划许可", actor=office)
    second = actions.add_stage(chart=chart, name="工程建设许可", actor=office)
    filing = actions.add_item(
        chart=chart, stage=first, name="企业投资项目备案", department="发改局", time_limit=2, actor=office
    )
    land = actions.add_item(
        chart=chart,
        stage=first,
        name="用地预审与选址意见书",
        department="自然资源局",
        time_limit=5,
        actor=office,
        prerequisites=[filing],
    )
    planning = actions.add_item(
        chart=chart,
        stage=first,
        name="建设用地规划许可证",
        department="自然资源局",
        time_limit=3,
        actor=office,
        prerequisites=[filing],
        lenient=True,
    )
    permit = actions.add_item(
        chart=chart,
        stage=second,
        name="建筑工程施工许可证",
        department="住建局",
        time_limit=4,
        actor=office,
        prerequisites=[land, planning],
    )
    actions.add_material(item=filing, name="项目备案申请表", actor=office)
    actions.add_material(item=planning, name="建设项目用地申请表", actor=office)
    actions.add_material(item=planning, name="规划设计条件论证报告", actor=office, lenient=True)
    actions.add_material(item=permit, name="施工合同", actor=office, source="建设单位")
    return chart


def item_named(chart: Chart, name: str) -> Item:
    return chart.items.get(name=name)


def home_project(world: World, side: Side | None = None) -> Project:
    side = side or world.home
    return Project.objects.filter(jurisdiction=side.park).first() or make_project(
        world, side=side, name=PROJECT
    )


def make_run(world: World, side: Side | None = None) -> Run:
    """A run of a park's project, started on `STARTED` from the park's chart (made if missing)."""
    side = side or world.home
    existing = Run.objects.filter(jurisdiction=side.park).first()
    if existing is not None:
        return existing
    if not Chart.objects.filter(jurisdiction=side.park).exists():
        make_chart(world, side)
    return actions.start_run(
        project=home_project(world, side), actor=side.users[Role.SERVICE_OFFICE], on=STARTED, at=AT
    )


def run_item(run: Run, name: str) -> RunItem:
    return run.items.select_related("item").get(item__name=name)


def make_run_item(world: World, state: str = ItemState.WAITING, side: Side | None = None) -> RunItem:
    """The run's first item (which waits for nothing and allows 容缺 here), placed directly in
    `state` with the days that state implies; accepted and approved ones under a 容缺 promise not
    yet kept, so that every step of the table applies."""
    run = make_run(world, side)
    row = run_item(run, "企业投资项目备案")
    Item.objects.filter(pk=row.item_id).update(lenient=True)
    row.item.lenient = True
    material = row.item.materials.first()
    assert material is not None
    material.lenient = True
    material.save()
    values: dict[str, Any] = {"state": state}
    if state in (ItemState.SUBMITTED, ItemState.ACCEPTED, ItemState.APPROVED, ItemState.RETURNED):
        values["submitted_on"] = dt.date(2025, 3, 4)
    if state in (ItemState.ACCEPTED, ItemState.APPROVED):
        values.update(accepted_on=dt.date(2025, 3, 5), lenient=True, promise_on=dt.date(2025, 3, 20))
    if state == ItemState.APPROVED:
        values["approved_on"] = dt.date(2025, 3, 6)
    RunItem.objects.filter(pk=row.pk).update(**values)
    row.refresh_from_db()
    return row


def inputs(row: RunItem) -> dict[str, Any]:
    """Input that satisfies every step's needs (`workflow.needs_of`)."""
    return {
        "on": AT.date(),
        "note": "材料不全，请补充",
        "missing": list(row.item.materials.filter(lenient=True)),
        "promise_on": dt.date(2025, 3, 24),
    }


def actor_for(world: World, role: str) -> tuple[User | None, Enterprise | None]:
    """Who takes a step in a workflow role: the home park's account of that role."""
    if role == ENTERPRISE:
        return world.user(Role.ENTERPRISE), None
    return world.user(role), None
