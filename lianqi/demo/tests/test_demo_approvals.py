"""The demo's approvals: a chart for each kind of key project with its three lists, and runs of
the park's projects, most finished within 30 working days, some items accepted under 容缺."""

from __future__ import annotations

import datetime as dt

from lianqi.approvals import queries
from lianqi.approvals.models import Chart, Run, RunItem
from lianqi.demo.approvals import build_demo_approvals
from lianqi.projects.choices import ProjectKind, ProjectStage
from lianqi.projects.tests.factories import make_project
from lianqi.testing.world import World

TODAY = dt.date(2025, 11, 20)


def test_the_demo_builds_charts_and_runs_mostly_within_30_working_days(world: World) -> None:
    stages = [ProjectStage.STARTED, ProjectStage.LAND, ProjectStage.PRODUCING, ProjectStage.SIGNED]
    for index in range(16):
        make_project(
            world,
            stages[index % len(stages)],
            name=f"演示项目{index}",
            kind=ProjectKind.INDUSTRIAL if index % 3 else ProjectKind.INFRASTRUCTURE,
            signed_on=dt.date(2025, 1, 6) + dt.timedelta(days=15 * index),
        )
    figures = build_demo_approvals(park=world.home.park, seed=7, today=TODAY)
    assert figures.charts == Chart.objects.count() == 3
    industrial = Chart.objects.get(project_kind=ProjectKind.INDUSTRIAL)
    layout = queries.chart_layout(industrial)
    assert layout.schedule.length <= 30 and layout.schedule.saved_by_parallel >= 5
    assert layout.lenient_materials > 0 and layout.materials_count > 20
    assert figures.runs == Run.objects.count() == 16
    assert figures.finished >= 8
    assert figures.within_target >= 0.75 * figures.finished and figures.within_target < figures.finished + 1
    assert figures.lenient == RunItem.objects.filter(lenient=True).count() > 0
    # Every approved item came after what it waits for.
    for row in RunItem.objects.filter(state="approved").select_related("item"):
        for pre in row.item.prerequisites.all():
            before = RunItem.objects.get(run=row.run_id, item=pre)
            assert (
                before.approved_on is not None and row.submitted_on and before.approved_on <= row.submitted_on
            )


def test_the_demo_pipeline_signs_41_projects_worth_4_33bn_this_year(world: World) -> None:
    import random
    from decimal import Decimal

    from django.db.models import Sum

    from lianqi.core.roles import Role
    from lianqi.demo.projects import ProjectFigures, _pipeline
    from lianqi.projects import pipeline
    from lianqi.projects.choices import LEAD_DATE_FIELDS, PIPELINE
    from lianqi.projects.models import Lead

    figures = ProjectFigures()
    _pipeline(
        figures,
        park=world.home.park,
        office=world.user(Role.SERVICE_OFFICE),
        rng=random.Random(3),
        today=TODAY,
    )
    signed = Lead.objects.filter(signed_on__year=TODAY.year)
    assert signed.count() == figures.signed == 41
    assert signed.aggregate(total=Sum("amount"))["total"] == Decimal("4330000000.00") == figures.signed_amount
    assert signed.filter(amount__gte=Decimal("100000000")).count() >= 8
    for lead in Lead.objects.all():
        days = [getattr(lead, LEAD_DATE_FIELDS[s]) for s in PIPELINE]
        assert pipeline.in_order(days) is None, lead.name
        assert all(d is None or d <= TODAY for d in days)
