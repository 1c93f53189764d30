"""Approvals' writes with a real database: a chart refuses a circle, a run starts from its kind's
chart, an item starts only once what it waits for is done, days in order, 容缺 with a promise,
working days counted on the Chinese calendar, and the run closed on the day its last item is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lianqi.core.models import SpecialDay
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.testing.world import World

from .. import actions, queries
from ..choices import ItemState
from ..models import Item, Run, RunItem, RunItemEvent
from .factories import AT, STARTED, home_project, item_named, make_chart, make_run, run_item


def office(world: World):  # type: ignore[no-untyped-def]
    return world.user(Role.SERVICE_OFFICE)


def _walk(world: World, row: RunItem, *, submitted: dt.date, accepted: dt.date, approved: dt.date) -> RunItem:
    at = dt.datetime.combine(approved, dt.time(18), tzinfo=SHANGHAI) + dt.timedelta(days=1)
    row = actions.submit_item(
        run_item=row, actor=office(world), expected_version=row.version, on=submitted, at=at
    )
    row = actions.accept_item(
        run_item=row, actor=office(world), expected_version=row.version, on=accepted, at=at
    )
    return actions.approve_item(
        run_item=row, actor=office(world), expected_version=row.version, on=approved, at=at
    )


def test_a_circle_of_prerequisites_is_refused_naming_the_field(world: World) -> None:
    chart = make_chart(world)
    filing = item_named(chart, "企业投资项目备案")
    permit = item_named(chart, "建筑工程施工许可证")
    with pytest.raises(ValidationError) as refused:
        actions.set_prerequisites(item=filing, prerequisites=[permit], actor=office(world))
    assert "prerequisites" in refused.value.message_dict
    assert "企业投资项目备案" in refused.value.message_dict["prerequisites"][0]
    assert not filing.prerequisites.exists()
    with pytest.raises(ValidationError) as itself:
        actions.set_prerequisites(item=filing, prerequisites=[filing], actor=office(world))
    assert "prerequisites" in itself.value.message_dict


def test_a_chart_of_another_park_or_a_bad_item_is_refused(world: World) -> None:
    chart = make_chart(world)
    with pytest.raises(ValidationError) as outside:
        actions.add_stage(chart=chart, name="验收", actor=world.other_user(Role.SERVICE_OFFICE))
    assert "jurisdiction" in outside.value.message_dict
    stage = chart.stages.first()
    assert stage is not None
    for bad, field in (
        ({"time_limit": 0}, "time_limit"),
        ({"name": " "}, "name"),
        ({"statutory_limit": 1, "time_limit": 5}, "statutory_limit"),
    ):
        values = {"name": "消防设计审查", "department": "住建局", "time_limit": 3, **bad}
        with pytest.raises(ValidationError) as refused:
            actions.add_item(chart=chart, stage=stage, actor=office(world), **values)  # type: ignore[arg-type]
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as twice:
        actions.create_chart(
            jurisdiction=world.home.park, project_kind="industrial", name="又一张", actor=office(world)
        )
    assert "project_kind" in twice.value.message_dict


def test_a_run_starts_from_its_kind_s_chart(world: World) -> None:
    run = make_run(world)
    assert run.chart.project_kind == "industrial" and run.target_workdays == 30
    assert run.items.count() == 4
    assert set(run.items.values_list("state", flat=True)) == {ItemState.WAITING}
    assert RunItemEvent.objects.filter(run_item__run=run, action="create").count() == 4
    with pytest.raises(ValidationError) as twice:
        actions.start_run(project=run.project, actor=office(world), on=STARTED, at=AT)
    assert "project" in twice.value.message_dict


def test_a_project_without_a_chart_of_its_kind_cannot_start(world: World) -> None:
    make_chart(world)
    project = home_project(world)
    project.kind = "public_service"
    with pytest.raises(ValidationError) as refused:
        actions.start_run(project=project, actor=office(world), on=STARTED, at=AT)
    assert "project" in refused.value.message_dict
    with pytest.raises(ValidationError) as outside:
        actions.start_run(
            project=home_project(world), actor=world.other_user(Role.SERVICE_OFFICE), on=STARTED, at=AT
        )
    assert "project" in outside.value.message_dict


def test_an_item_waits_for_its_prerequisites(world: World) -> None:
    run = make_run(world)
    land = run_item(run, "用地预审与选址意见书")
    with pytest.raises(ValidationError) as refused:
        actions.submit_item(
            run_item=land, actor=office(world), expected_version=1, on=dt.date(2025, 3, 4), at=AT
        )
    assert "企业投资项目备案" in refused.value.message_dict["on"][0]
    land.refresh_from_db()
    assert (land.state, land.submitted_on, land.version) == (ItemState.WAITING, None, 1)
    _walk(
        world,
        run_item(run, "企业投资项目备案"),
        submitted=STARTED,
        accepted=STARTED,
        approved=dt.date(2025, 3, 5),
    )
    with pytest.raises(ValidationError) as early:
        actions.submit_item(
            run_item=land, actor=office(world), expected_version=1, on=dt.date(2025, 3, 4), at=AT
        )
    assert "2025-03-05" in early.value.message_dict["on"][0]
    # 用地 and 规划 wait only for 备案: both are applied for the same day (并联).
    land = actions.submit_item(
        run_item=land, actor=office(world), expected_version=1, on=dt.date(2025, 3, 5), at=AT
    )
    planning = actions.submit_item(
        run_item=run_item(run, "建设用地规划许可证"),
        actor=office(world),
        expected_version=1,
        on=dt.date(2025, 3, 5),
        at=AT,
    )
    assert land.state == planning.state == ItemState.SUBMITTED


def test_days_out_of_order_are_refused_naming_the_day(world: World) -> None:
    run = make_run(world)
    row = run_item(run, "企业投资项目备案")
    with pytest.raises(ValidationError) as before_start:
        actions.submit_item(
            run_item=row, actor=office(world), expected_version=1, on=dt.date(2025, 3, 1), at=AT
        )
    assert "on" in before_start.value.message_dict
    with pytest.raises(ValidationError) as future:
        actions.submit_item(
            run_item=row, actor=office(world), expected_version=1, on=dt.date(2025, 3, 11), at=AT
        )
    assert "on" in future.value.message_dict
    row = actions.submit_item(
        run_item=row, actor=office(world), expected_version=1, on=dt.date(2025, 3, 6), at=AT
    )
    with pytest.raises(ValidationError) as before_submitted:
        actions.accept_item(
            run_item=row, actor=office(world), expected_version=row.version, on=dt.date(2025, 3, 5), at=AT
        )
    assert "on" in before_submitted.value.message_dict
    row.refresh_from_db()
    assert (row.state, row.accepted_on) == (ItemState.SUBMITTED, None)


def test_a_lenient_acceptance_names_the_missing_materials_and_a_later_promise(world: World) -> None:
    run = make_run(world)
    _walk(world, run_item(run, "企业投资项目备案"), submitted=STARTED, accepted=STARTED, approved=STARTED)
    row = run_item(run, "建设用地规划许可证")
    row = actions.submit_item(
        run_item=row, actor=office(world), expected_version=1, on=dt.date(2025, 3, 4), at=AT
    )
    lenient = list(row.item.materials.filter(lenient=True))
    strict = list(row.item.materials.filter(lenient=False))

    def accept(**kwargs):  # type: ignore[no-untyped-def]
        values = {"on": dt.date(2025, 3, 4), "missing": lenient, "promise_on": dt.date(2025, 3, 7), **kwargs}
        return actions.accept_item_leniently(
            run_item=row, actor=office(world), expected_version=row.version, at=AT, **values
        )

    for bad, field in (
        ({"missing": []}, "missing"),
        ({"missing": strict}, "missing"),
        ({"promise_on": dt.date(2025, 3, 4)}, "promise_on"),
    ):
        with pytest.raises(ValidationError) as refused:
            accept(**bad)
        assert field in refused.value.message_dict
    row = accept()
    assert (row.state, row.lenient, row.promise_on) == (ItemState.ACCEPTED, True, dt.date(2025, 3, 7))
    assert list(row.missing.all()) == lenient
    assert "规划设计条件论证报告" in RunItemEvent.objects.filter(run_item=row).latest("pk").note
    # Not supplied by its day: flagged; approval goes on meanwhile (容缺 does not hold it up).
    progress = queries.run_progress(run, dt.date(2025, 3, 10))
    assert [p.row.pk for p in progress.overdue_promises] == [row.pk]
    assert queries.overdue_promise_count(office(world), dt.date(2025, 3, 10)) == 1
    row = actions.approve_item(
        run_item=row, actor=office(world), expected_version=row.version, on=dt.date(2025, 3, 7), at=AT
    )
    row = actions.supply_item(
        run_item=row, actor=office(world), expected_version=row.version, on=dt.date(2025, 3, 10), at=AT
    )
    assert "逾期" in RunItemEvent.objects.filter(run_item=row).latest("pk").note
    assert [p.row.pk for p in queries.run_progress(run, dt.date(2025, 3, 10)).overdue_promises] == [row.pk]
    # Supplied late: still flagged on the run, no longer awaited on the home page's count.
    assert queries.overdue_promise_count(office(world), dt.date(2025, 3, 10)) == 0


def test_an_item_the_chart_does_not_allow_is_not_accepted_leniently(world: World) -> None:
    run = make_run(world)
    row = actions.submit_item(
        run_item=run_item(run, "企业投资项目备案"), actor=office(world), expected_version=1, on=STARTED, at=AT
    )
    from lianqi.core.workflow import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        actions.accept_item_leniently(
            run_item=row,
            actor=office(world),
            expected_version=row.version,
            on=STARTED,
            missing=[],
            promise_on=dt.date(2025, 3, 20),
            at=AT,
        )


def test_working_days_skip_weekends_and_holidays_and_the_run_closes_with_its_last_item(world: World) -> None:
    # 2025-04-04 (Friday) is 清明节: the week of 31 March has four working days.
    assert SpecialDay.objects.filter(day=dt.date(2025, 4, 4), kind="holiday").exists()
    run = make_run(world)
    _walk(
        world,
        run_item(run, "企业投资项目备案"),
        submitted=STARTED,
        accepted=STARTED,
        approved=dt.date(2025, 3, 5),
    )
    _walk(
        world,
        run_item(run, "用地预审与选址意见书"),
        submitted=dt.date(2025, 3, 5),
        accepted=dt.date(2025, 3, 6),
        approved=dt.date(2025, 3, 13),
    )
    _walk(
        world,
        run_item(run, "建设用地规划许可证"),
        submitted=dt.date(2025, 3, 5),
        accepted=dt.date(2025, 3, 5),
        approved=dt.date(2025, 3, 10),
    )
    run.refresh_from_db()
    assert run.finished_on is None
    last = _walk(
        world,
        run_item(run, "建筑工程施工许可证"),
        submitted=dt.date(2025, 3, 31),
        accepted=dt.date(2025, 3, 31),
        approved=dt.date(2025, 4, 7),
    )
    run.refresh_from_db()
    assert run.finished_on == dt.date(2025, 4, 7)
    progress = queries.run_progress(run, dt.date(2025, 6, 1))
    taken = {p.row.item.name: p.workdays for p in progress.items}
    # 31 March → 7 April: 1, 2, 3 April and 7 April (4 April is a holiday, 5–6 a weekend).
    assert taken["建筑工程施工许可证"] == 4
    assert [p.row.pk for p in progress.items if p.over_limit] == [run_item(run, "用地预审与选址意见书").pk]
    # 3 March → 7 April: 25 weekdays less 清明节.
    assert progress.elapsed == 24 and progress.within_target and progress.planned == 11
    assert last.state == ItemState.APPROVED


def test_measures_count_finished_runs_and_lenient_items(world: World) -> None:
    from lianqi.core.registry import Period, measure

    run = make_run(world)
    for name in ("企业投资项目备案", "用地预审与选址意见书", "建设用地规划许可证", "建筑工程施工许可证"):
        row = run_item(run, name)
        day = {"企业投资项目备案": STARTED}.get(name, dt.date(2025, 3, 5))
        _walk(
            world,
            row,
            submitted=day,
            accepted=day,
            approved=day if name != "建筑工程施工许可证" else dt.date(2025, 3, 6),
        )
    RunItem.objects.filter(pk=run_item(run, "建设用地规划许可证").pk).update(
        lenient=True, promise_on=dt.date(2025, 3, 9)
    )
    period = Period.year(2025)
    path = world.home.park.path
    assert measure("approvals.average_workdays").compute(path, period) == 3
    assert measure("approvals.within_target").compute(path, period) == 100
    assert measure("approvals.lenient_items").compute(path, period) == 1
    assert measure("approvals.average_workdays").compute(world.other.park.path, period) is None
    assert Run.objects.get().finished_on == dt.date(2025, 3, 6)
    assert Item.objects.count() == 4


def test_a_stage_after_construction_is_not_counted_in_the_promise(world: World) -> None:
    chart = make_chart(world)
    acceptance = actions.add_stage(chart=chart, name="竣工验收", actor=office(world), counted=False)
    permit = item_named(chart, "建筑工程施工许可证")
    actions.add_item(
        chart=chart,
        stage=acceptance,
        name="竣工联合验收",
        department="住建局",
        time_limit=10,
        actor=office(world),
        prerequisites=[permit],
    )
    assert queries.chart_layout(chart).schedule.length == 11
    run = make_run(world)
    for name, day in (
        ("企业投资项目备案", STARTED),
        ("用地预审与选址意见书", dt.date(2025, 3, 4)),
        ("建设用地规划许可证", dt.date(2025, 3, 4)),
        ("建筑工程施工许可证", dt.date(2025, 3, 5)),
    ):
        _walk(world, run_item(run, name), submitted=day, accepted=day, approved=day)
    run.refresh_from_db()
    assert run.finished_on == dt.date(2025, 3, 5)
    assert run_item(run, "竣工联合验收").state == ItemState.WAITING
