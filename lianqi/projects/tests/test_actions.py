"""The writes of key projects: registering with exact money and field-level refusals, milestones
and their dependencies, monthly reports and their arithmetic, problems and decisions that become
demands, and the next meeting's agenda."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError

from lianqi.core.roles import Role
from lianqi.demands.choices import Channel, DemandState
from lianqi.testing.world import World

from .. import queries
from ..actions import meetings, milestones, portfolio, reports
from ..choices import Cadence, ProjectKind, ProjectLevel
from ..models import MeetingSeries, ProgressReport, Project
from .factories import AT, TODAY, category, make_project


def register(world: World, **overrides: object) -> Project:
    values: dict[str, object] = {
        "actor": world.user(Role.SERVICE_OFFICE),
        "name": "新能源电池材料项目",
        "department": world.home.department,
        "kind": ProjectKind.INDUSTRIAL,
        "level": ProjectLevel.PARK,
        "total_investment": Decimal("232900000.37"),
        "plan_year": 2025,
        "year_plan": Decimal("50000000.01"),
        "leader": "李主任",
        "signed_on": dt.date(2025, 2, 1),
        "enterprise": world.home.enterprise,
        "at": AT,
    }
    values.update(overrides)
    return portfolio.create_project(**values)  # type: ignore[arg-type]


def test_a_project_keeps_its_money_to_the_fen(world: World) -> None:
    row = register(world)
    row.refresh_from_db()
    assert row.total_investment == Decimal("232900000.37") and row.year_plan == Decimal("50000000.01")
    assert row.jurisdiction_path == world.home.park.path
    assert [e.action for e in queries.history(row)] == ["create"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"total_investment": Decimal("-1")}, "total_investment"),
        ({"total_investment": Decimal("0")}, "total_investment"),
        ({"total_investment": Decimal("10.001")}, "total_investment"),
        ({"year_plan": Decimal("300000000")}, "year_plan"),
        ({"enterprise": None, "owner_name": ""}, "owner_name"),
        ({"signed_on": dt.date(2025, 7, 1)}, "signed_on"),
        ({"kind": "spaceport"}, "kind"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(
    world: World, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        register(world, **overrides)
    assert field in refused.value.message_dict
    assert not Project.objects.exists()


def test_another_park_s_department_or_enterprise_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        register(world, department=world.other.department)
    assert "department" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        register(world, enterprise=world.other.enterprise)
    assert "enterprise" in refused.value.message_dict


def test_a_project_company_to_be_registered_owns_the_project(world: World) -> None:
    row = register(world, enterprise=None, owner_name="湘潭锂能科技（筹）")
    assert row.owner == "湘潭锂能科技（筹）"


def test_milestones_refuse_dates_out_of_order_and_circles(world: World) -> None:
    row = make_project(world)
    office = world.user(Role.SERVICE_OFFICE)
    with pytest.raises(ValidationError) as refused:
        milestones.plan_milestone(
            project=row,
            actor=office,
            expected_version=1,
            name="土地摘牌",
            planned_start=dt.date(2025, 5, 1),
            planned_end=dt.date(2025, 4, 1),
            at=AT,
        )
    assert "planned_end" in refused.value.message_dict
    land = milestones.plan_milestone(
        project=row,
        actor=office,
        expected_version=1,
        name="土地摘牌",
        planned_start=dt.date(2025, 3, 1),
        planned_end=dt.date(2025, 4, 1),
        at=AT,
    )
    start = milestones.plan_milestone(
        project=row,
        actor=office,
        expected_version=2,
        name="开工",
        planned_start=dt.date(2025, 4, 2),
        planned_end=dt.date(2025, 5, 1),
        depends_on=land,
        at=AT,
    )
    for target in (land, start):
        with pytest.raises(ValidationError) as refused:
            milestones.set_milestone_dependency(
                milestone=land, actor=office, expected_version=3, depends_on=target, at=AT
            )
        assert "depends_on" in refused.value.message_dict
    land.refresh_from_db()
    assert land.depends_on is None


def test_a_late_milestone_makes_the_project_slipped(world: World) -> None:
    row = make_project(world)
    office = world.user(Role.SERVICE_OFFICE)
    m = milestones.plan_milestone(
        project=row,
        actor=office,
        expected_version=1,
        name="主体封顶",
        planned_start=dt.date(2025, 3, 1),
        planned_end=dt.date(2025, 6, 1),
        at=AT,
    )
    with pytest.raises(ValidationError) as refused:
        milestones.record_milestone(
            milestone=m, actor=office, expected_version=2, actual_start=None, actual_end=TODAY, at=AT
        )
    assert "actual_start" in refused.value.message_dict
    [figures] = queries.figures([row], TODAY)
    assert (figures.status, figures.slipped) == ("slipped", 1)
    milestones.record_milestone(
        milestone=m,
        actor=office,
        expected_version=2,
        actual_start=dt.date(2025, 3, 2),
        actual_end=dt.date(2025, 6, 5),
        at=AT,
    )
    assert queries.battle_map(row, TODAY)["rows"][0][1].slipped_days == 4


def test_reports_add_up_to_the_fen_and_refuse_what_is_impossible(world: World) -> None:
    row = make_project(world, total_investment=Decimal("1000000.00"), year_plan=Decimal("600000.00"))
    owner = world.user(Role.ENTERPRISE)

    def report(version: int, period: dt.date, invested: str) -> ProgressReport:
        return reports.submit_report(
            project=row,
            actor=owner,
            expected_version=version,
            period=period,
            invested=Decimal(invested),
            progress="主体结构施工",
            problems="",
            at=AT,
        )

    report(1, dt.date(2025, 5, 1), "200000.10")
    june = report(2, dt.date(2025, 6, 16), "100000.23")
    assert (june.period, june.year_to_date) == (dt.date(2025, 6, 1), Decimal("300000.33"))
    for period, invested, field in [
        (dt.date(2025, 6, 1), "1", "period"),  # a second report of the month
        (dt.date(2025, 4, 1), "1", "period"),  # a closed month
        (dt.date(2025, 7, 1), "1", "period"),  # a future month
    ]:
        with pytest.raises(ValidationError) as refused:
            report(3, period, invested)
        assert field in refused.value.message_dict
    ProgressReport.objects.filter(period=dt.date(2025, 6, 1)).delete()
    with pytest.raises(ValidationError) as refused:
        report(3, dt.date(2025, 6, 1), "800000.00")  # above the total without a revision
    assert "invested" in refused.value.message_dict
    [figures] = queries.figures([row], TODAY)
    assert (figures.year_done, figures.completion) == (Decimal("200000.10"), Decimal("33.33"))


def test_another_enterprise_or_park_cannot_report(world: World) -> None:
    row = make_project(world)
    for actor in (world.other_user(Role.ENTERPRISE), world.other_user(Role.SERVICE_OFFICE)):
        with pytest.raises(ValidationError):
            reports.submit_report(
                project=row,
                actor=actor,
                expected_version=1,
                period=TODAY,
                invested=Decimal("1"),
                progress="x",
                at=AT,
            )


def test_a_reported_problem_becomes_a_demand_once(world: World) -> None:
    row = make_project(world)
    reports.submit_report(
        project=row,
        actor=world.user(Role.ENTERPRISE),
        expected_version=1,
        period=TODAY,
        invested=Decimal("1.00"),
        progress="桩基施工",
        problems="施工用电未接入\n",
        at=AT,
    )
    [problem] = row.issues.all()
    office = world.user(Role.SERVICE_OFFICE)
    referred = reports.refer_problem(problem=problem, actor=office, category=category(), at=AT)
    assert referred.demand is not None and referred.demand.enterprise == world.home.enterprise
    assert (
        referred.demand.channel == Channel.DISPATCH_MEETING
        and "施工用电未接入" in referred.demand.description
    )
    with pytest.raises(ValidationError):
        reports.refer_problem(problem=problem, actor=office, category=category(), at=AT)


def test_a_decision_becomes_an_assigned_demand_shown_at_the_next_meeting(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    row = make_project(world)
    series = meetings.create_series(
        actor=office, jurisdiction=world.home.park, name="重点项目周调度", cadence=Cadence.WEEKLY
    )
    first = meetings.hold_meeting(series=series, actor=office, held_on=dt.date(2025, 6, 9), at=AT)
    decision = meetings.decide(
        meeting=first,
        actor=office,
        project=row,
        text="协调供电公司两周内接入施工用电",
        category=category(),
        department=world.home.department,
        workdays_limit=10,
        at=AT,
    )
    demand = decision.demand
    assert (demand.state, demand.lead_department) == (DemandState.ASSIGNED, world.home.department)
    assert "重点项目周调度" in demand.events.get(action="assign").note
    with pytest.raises(ValidationError) as refused:
        meetings.hold_meeting(series=series, actor=office, held_on=dt.date(2025, 6, 2), at=AT)
    assert "held_on" in refused.value.message_dict
    second = meetings.hold_meeting(series=series, actor=office, held_on=dt.date(2025, 6, 16), at=AT)
    agenda = queries.agenda(office, second, TODAY)
    assert [d.pk for d in agenda["carried"]] == [decision.pk]


def test_a_decision_on_another_park_s_project_is_refused(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    theirs = make_project(world, side=world.other)
    series = MeetingSeries.objects.create(
        jurisdiction=world.home.park, name="旬调度", cadence=Cadence.TEN_DAY
    )
    meeting = meetings.hold_meeting(series=series, actor=office, held_on=TODAY, at=AT)
    with pytest.raises(ValidationError) as refused:
        meetings.decide(
            meeting=meeting,
            actor=office,
            project=theirs,
            text="x",
            category=category(),
            department=world.home.department,
            workdays_limit=5,
            at=AT,
        )
    assert "project" in refused.value.message_dict


def test_the_battle_map_is_laid_out_from_the_kind_s_template_once(world: World) -> None:
    row = make_project(world)
    office = world.user(Role.SERVICE_OFFICE)
    laid = milestones.plan_from_template(
        project=row, actor=office, expected_version=1, start=dt.date(2025, 3, 1), at=AT
    )
    assert laid[0].name == "土地摘牌" and laid[0].planned_start == dt.date(2025, 3, 1)
    assert all(m.depends_on == before for before, m in pairwise(laid))
    assert all(m.planned_start == before.planned_end + dt.timedelta(days=1) for before, m in pairwise(laid))
    with pytest.raises(ValidationError):
        milestones.plan_from_template(
            project=row, actor=office, expected_version=2, start=dt.date(2025, 3, 1), at=AT
        )
    assert row.milestones.count() == len(laid)
