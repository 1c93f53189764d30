"""The demo park's key projects: seed 003's portfolio (23 projects, ¥2.329bn planned, ¥2.09bn
done, 89.7%) to the fen, a slipped battle map or more, and weekly dispatch meetings whose
decisions are assigned demands shown on the next meeting's agenda."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from lianqi.accounts.models import User
from lianqi.core.registry import Period, measure
from lianqi.core.roles import Role
from lianqi.demands.choices import Channel, DemandState
from lianqi.demo.builder import build_demo, ensure_reference_data
from lianqi.projects import queries
from lianqi.projects.models import Decision, Meeting, ProgressReport, Project

TODAY = dt.date(2026, 11, 20)
MAIN_PATH = "430000/430300/430371/"


def test_the_demo_carries_seed_003_s_portfolio(db: Any) -> None:
    ensure_reference_data()
    with transaction.atomic():
        summary = build_demo(scale=0.05, seed=11, today=TODAY, policies=False)
    figures = summary.projects
    assert figures is not None
    projects = Project.objects.filter(jurisdiction_path__startswith=MAIN_PATH, plan_year=TODAY.year)
    # The portfolio keeps its project count at any scale of enterprises: the seed's 23.
    assert projects.count() == figures.projects == 23
    assert projects.aggregate(total=Sum("year_plan"))["total"] == Decimal("2329000000.00")
    done = ProgressReport.objects.filter(project__in=projects).aggregate(total=Sum("invested"))["total"]
    assert done == Decimal("2090000000.00")
    rate = measure("projects.completion_rate").compute(MAIN_PATH, Period(dt.date(TODAY.year, 1, 1), TODAY))
    assert rate == Decimal("89.74")

    leader = User.objects.filter(groups__name=Role.LEADER, jurisdiction__path=MAIN_PATH).first()
    portfolio = queries.portfolio(leader, TODAY.year, TODAY)
    assert portfolio["slipped"]
    assert portfolio["open_decisions"] == Decision.objects.exclude(demand__state=DemandState.CLOSED).count()

    meetings = list(Meeting.objects.filter(jurisdiction_path=MAIN_PATH).order_by("held_on"))
    decisions = Decision.objects.filter(meeting__in=meetings)
    assert len(meetings) == figures.meetings and decisions.count() == figures.decisions >= len(meetings)
    # The decisions are the demands the dispatch meeting took, each on its enterprise's project.
    for decision in decisions.select_related("demand", "project"):
        assert Channel.DISPATCH_MEETING in (decision.demand.channel, decision.demand.venue)
        assert decision.project.enterprise_id == decision.demand.enterprise_id
    open_ones = decisions.exclude(demand__state=DemandState.CLOSED)
    if len(meetings) > 1 and open_ones.exclude(meeting=meetings[-1]).exists():
        carried = queries.agenda(leader, meetings[-1], TODAY)["carried"]
        assert carried
