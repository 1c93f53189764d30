"""The demo park's demands: seed 001's figures (1,000+ a year, ~70/20/10, all closed; 766 in the
latest half year over the 27 departments, all assigned), real and consistent histories, content
for every list, and determinism."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F, Q

from lianqi.core import calendar_store, workdays
from lianqi.demands import queries
from lianqi.demands.choices import CLOCK_STATES, Channel, DemandState, Outcome, Venue
from lianqi.demands.models import Category, CategoryRouting, Demand, DemandEvent
from lianqi.demo import catalogue
from lianqi.demo.builder import DemoSummary, build_demo, ensure_reference_data
from lianqi.demo.demands import HALF_YEAR_DEMANDS, YEAR_DEMANDS
from lianqi.org.models import Department
from lianqi.visits.choices import THEMES, CampaignState, ScopeKind, VisitChannel
from lianqi.visits.models import Campaign, RaisedDemand, Visit
from lianqi.visits.queries import campaign_targets

#: The demo's "now": a Friday in the second half of a year whose holidays are loaded.
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, tzinfo=workdays.SHANGHAI)
YEAR = TODAY.year - 1
HALF_START = dt.datetime(TODAY.year, 7, 1, tzinfo=workdays.SHANGHAI)


@pytest.fixture(scope="module")
def full(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """The demo at full scale, built once for the module in a transaction rolled back at the
    end (the build takes a while; every test here only reads it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        summary = build_demo(seed=2022, today=TODAY, policies=False)
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def demo(full: DemoSummary, db: Any) -> DemoSummary:
    return full


MAIN_PATH = "430000/430300/430371/"


def main_demands() -> Any:
    # Shops and the self-employed belong to the park's townships: match by path.
    return Demand.objects.filter(jurisdiction_path__startswith=MAIN_PATH)


def year_demands() -> Any:
    return main_demands().filter(received_at__year=YEAR)


def half_year_demands() -> Any:
    return main_demands().filter(received_at__gte=HALF_START)


def test_last_year_follows_seed_001(demo: DemoSummary) -> None:
    year = year_demands()
    total = year.count()
    assert total == YEAR_DEMANDS >= 1000  # 1000余条企业诉求
    assert not year.exclude(state=DemandState.CLOSED).exists()  # 全部闭环处理, by year end
    assert not year.filter(closed_at__gte=dt.datetime(YEAR + 1, 1, 1, tzinfo=workdays.SHANGHAI)).exists()
    on_spot = year.filter(solved_on_spot=True).count()
    expert = year.filter(venue=Venue.EXPERT).count()
    meetings = year.filter(venue__in=[Venue.ROUNDTABLE, Venue.DISPATCH_MEETING]).count()
    assigned = year.filter(solved_on_spot=False).exclude(venue=Venue.EXPERT).count()
    assert 0.70 <= on_spot / total <= 0.74  # 当即解决 70%以上
    assert 0.17 <= assigned / total <= 0.23  # 限时交办、圆桌会、调度会 ~20%
    assert 0.07 <= expert / total <= 0.11  # 专家专项协商 ~10%
    assert meetings >= 0.25 * assigned
    assert year.filter(venue=Venue.ROUNDTABLE).exists() and year.filter(venue=Venue.DISPATCH_MEETING).exists()
    assert year.filter(is_legacy=True).count() == expert
    # Most end solved; some are explained or outside the remit; all rated or solved on the spot.
    outcomes = Counter(year.values_list("outcome", flat=True))
    assert outcomes[Outcome.SOLVED] >= 0.9 * total
    assert outcomes[Outcome.EXPLAINED] > 0 and outcomes[Outcome.NOT_REMIT] > 0
    rated = year.filter(solved_on_spot=False).exclude(satisfaction="")
    assert rated.count() >= year.filter(solved_on_spot=False, replied_at__isnull=False).count() - 1
    summary = demo.demands
    assert summary is not None
    assert (summary.year_total, summary.on_spot, summary.expert) == (total, on_spot, expert)


def test_last_year_has_the_ladder_s_detours(demo: DemoSummary) -> None:
    events = DemandEvent.objects.filter(demand__in=year_demands())
    actions = Counter(events.values_list("action", flat=True))
    for action in (
        "send_back",
        "reroute",
        "request_extension",
        "approve_extension",
        "supervise",
        "rate",
        "return_visit",
        "escalate",
        "decide_reassign",
        "decide_close",
    ):
        assert actions[action] > 0, action
    # A few 不满意 sent back to redo, then closed.
    assert actions["rate_redo"] + actions["return_visit_redo"] > 0
    assert year_demands().filter(redo_count__gt=0, state=DemandState.CLOSED).exists()
    # Eight visit rounds: demands are received in at least eight different months.
    months = {d.month for d in year_demands().values_list("received_at", flat=True)}
    assert len(months) >= 8


def test_latest_half_year_is_766_assigned_over_27_departments(demo: DemoSummary) -> None:
    half = half_year_demands()
    assigned = half.filter(events__action="assign").distinct()
    assert assigned.count() == HALF_YEAR_DEMANDS == 766
    assert not half.exclude(pk__in=assigned).exclude(state=DemandState.RECEIVED).exists()
    assert not assigned.filter(Q(lead_department__isnull=True) | Q(due_on__isnull=True)).exists()
    departments = Department.objects.filter(jurisdiction__code=catalogue.MAIN_PARK.code)
    assert departments.count() == 27
    per_department = Counter(assigned.values_list("lead_department", flat=True))
    for department in departments:
        assert per_department[department.pk] >= 3, department.name
    assert not assigned.filter(solved_on_spot=True).exists()
    summary = demo.demands
    assert summary is not None and sum(summary.half_year_departments.values()) == 766
    assert len(summary.half_year_departments) == 27


def test_every_list_has_content_now(demo: DemoSummary) -> None:
    """Open demands in every state, some overdue, some due soon, some awaiting the rating or
    the return visit, escalations pending, legacy problems still being cleared."""
    half = half_year_demands()
    states = Counter(half.values_list("state", flat=True))
    for state in DemandState:
        assert states[state] > 0, state
    assert 0.6 * 766 <= states[DemandState.CLOSED] <= 0.85 * 766
    overdue = queries.overdue(at=NOW, queryset=main_demands())
    due_soon = queries.due_soon(at=NOW, queryset=main_demands())
    assert 5 <= overdue.count() <= 40
    assert due_soon.count() >= 5
    assert main_demands().filter(state__in=CLOCK_STATES, extension_workdays__isnull=False).exists()
    assert main_demands().filter(state__in=CLOCK_STATES, supervised_at__isnull=False).exists()
    waiting = queries.awaiting_return_visit(at=NOW, rating_window_workdays=5, queryset=main_demands())
    assert waiting and len(waiting) < states[DemandState.REPLIED]
    escalated = half.filter(state=DemandState.ESCALATED)
    assert {Venue.ROUNDTABLE, Venue.DISPATCH_MEETING, Venue.EXPERT} <= set(
        escalated.values_list("venue", flat=True)
    )
    assert escalated.filter(meeting_on__gte=TODAY).exists()  # a meeting still to come
    legacy = queries.legacy_problems(main_demands())
    open_legacy = legacy.exclude(state=DemandState.CLOSED).count()
    assert 0 < open_legacy < legacy.filter(state=DemandState.CLOSED).count()
    # Some came through the enterprise's code, without an account, with a contact.
    by_code = main_demands().filter(channel=Channel.ENTERPRISE_CODE)
    assert by_code.count() > 50
    assert not by_code.exclude(raised_by__isnull=True).exists()
    assert not by_code.filter(Q(contact_name="") | Q(contact_phone="")).exists()
    assert DemandEvent.objects.filter(action="rate", actor__isnull=True, by_enterprise=True).exists()


def test_demo_logins_have_their_own_demands(demo: DemoSummary) -> None:
    from lianqi.accounts.models import User

    handler = User.objects.select_related("staff").get(username="handler")
    inbox = main_demands().filter(lead_department=handler.staff.department)
    assert {DemandState.ASSIGNED, DemandState.SIGNED, DemandState.HANDLING, DemandState.REPLIED} <= set(
        inbox.values_list("state", flat=True)
    )
    assert DemandEvent.objects.filter(actor=handler).exists()
    liaison = User.objects.select_related("staff").get(username="liaison")
    assert main_demands().filter(enterprise__liaison=liaison.staff, solved_on_spot=True).exists()
    assert main_demands().filter(enterprise__liaison=liaison.staff, state=DemandState.RECEIVED).exists()
    firm = User.objects.get(username="enterprise").enterprise
    assert main_demands().filter(enterprise=firm, state=DemandState.REPLIED).exists()
    assert DemandEvent.objects.filter(actor__username="office").exists()


def test_every_category_is_routed_to_a_department_of_the_park(demo: DemoSummary) -> None:
    routings = CategoryRouting.objects.filter(jurisdiction__code=catalogue.MAIN_PARK.code).select_related(
        "department", "category"
    )
    assert {r.category.name for r in routings} == set(Category.objects.values_list("name", flat=True))
    names = {r.category.name: r.department.name for r in routings}
    assert names["融资困难"] == "金融服务中心"
    assert names["用地需求"] == "自然资源和规划分局"
    assert names["用工招聘"] == "人力资源和社会保障局"
    for routing in routings:
        assert routing.department.jurisdiction.code == catalogue.MAIN_PARK.code
        assert routing.deadline_workdays and routing.deadline_workdays >= 5


def test_histories_are_real_and_consistent(demo: DemoSummary) -> None:
    """Every demand has events; versions run 1…n without gaps; each event starts where the
    one before ended; the last ends in the demand's state; closed demands have an outcome;
    everything happened before the demo's now, on working days."""
    demands = {d.pk: d for d in main_demands()}
    figures = demo.demands
    assert figures is not None
    # Besides the demand builder's, the enterprises' reports of an unregistered inspection.
    reports = demo.inspections.unregistered_reports if demo.inspections else 0
    assert len(demands) == YEAR_DEMANDS + figures.first_half_total + HALF_YEAR_DEMANDS + figures.new + reports
    history: dict[int, list[DemandEvent]] = defaultdict(list)
    for event in DemandEvent.objects.filter(demand__in=list(demands)).order_by("pk"):
        history[event.demand_id].append(event)
    cal = calendar_store.get_calendar()
    for pk, demand in demands.items():
        events = history[pk]
        assert events, pk
        assert events[0].action == "submit" and events[0].at == demand.received_at
        assert [e.version for e in events] == list(range(1, demand.version + 1)), pk
        for before, after in itertools.pairwise(events):
            assert after.from_state == before.to_state, (pk, after.action)
            # Solving on the spot is recorded in the same moment as the intake.
            assert after.at > before.at or after.action == "solve_on_spot", (pk, after.action)
        assert events[-1].to_state == demand.state, pk
        assert events[-1].at < NOW
        assert workdays.is_workday_at(demand.received_at, cal)
        if demand.state == DemandState.CLOSED:
            assert demand.outcome and demand.closed_at == events[-1].at, pk
    assert not Demand.objects.filter(state=DemandState.CLOSED, outcome="").exists()


def test_texts_are_varied_chinese(demo: DemoSummary) -> None:
    descriptions = list(main_demands().values_list("description", flat=True))
    # Many firms ask the same policy question; still most asks read differently.
    assert len(set(descriptions)) >= 0.5 * len(descriptions)
    assert all("{" not in d and "}" not in d for d in descriptions)
    replies = list(main_demands().exclude(reply="").values_list("reply", flat=True))
    assert len(set(replies)) >= 0.3 * len(replies)
    assert all("{" not in r for r in replies)
    assert (
        not main_demands()
        .filter(description__contains="银行")
        .filter(description__regex=r"(工商|建设|农业|中国)银行")
        .exists()
    )  # banks stay generic


def test_demo_build_prints_the_figures(demo: DemoSummary) -> None:
    figures = demo.demands
    assert figures is not None
    text = "\n".join(figures.lines())
    assert f"{YEAR_DEMANDS}" in text and "766" in text and "金融服务中心" in text
    assert figures.events == DemandEvent.objects.filter(jurisdiction_path__startswith=MAIN_PATH).count()


def test_year_of_visits_follows_seed_001(demo: DemoSummary) -> None:
    # 开展八轮走访活动，收集电子问卷1298份: eight closed campaigns on the year's themes.
    campaigns = Campaign.objects.filter(jurisdiction_path__startswith=MAIN_PATH, starts_on__year=YEAR)
    assert campaigns.count() == 8
    assert set(campaigns.values_list("state", flat=True)) == {CampaignState.CLOSED}
    assert set(campaigns.values_list("theme", flat=True)) == set(THEMES)
    assert all(c.starts_on.year == YEAR for c in campaigns)
    forms = Visit.objects.filter(campaign__in=campaigns)
    assert forms.count() == 1298
    channels = Counter(forms.values_list("channel", flat=True))
    assert 0 < channels[VisitChannel.ELECTRONIC] < channels[VisitChannel.LIAISON]
    # Every form answered its campaign's pinned version, and each form falls in its round.
    assert not forms.exclude(questionnaire_version=F("campaign__questionnaire_version")).exists()
    assert not forms.filter(checked_in_at__date__lt=F("campaign__starts_on")).exists()
    assert not forms.filter(checked_in_at__date__gt=F("campaign__ends_on")).exists()
    # The year's on-the-spot demands were each raised at one of these visits: last year's,
    # solved on the spot, and naming the visit in the intake event.
    raised = RaisedDemand.objects.filter(visit__campaign__in=campaigns).select_related("demand", "visit")
    assert demo.demands is not None and demo.demands.visits is not None
    assert raised.count() == demo.demands.visits.raised == demo.demands.on_spot
    on_spot = year_demands().filter(solved_on_spot=True)
    assert set(on_spot.values_list("pk", flat=True)) == {row.demand_id for row in raised}
    for row in raised:
        demand = row.demand
        assert demand.solved_on_spot and demand.received_at.year == YEAR
        assert demand.enterprise_id == row.visit.enterprise_id
        intake = demand.events.order_by("at", "pk").first()
        campaign = row.visit.campaign
        assert intake is not None and campaign is not None
        assert "来自走访" in intake.note and campaign.title in intake.note
    assert year_demands().count() == YEAR_DEMANDS
    # Each campaign visits its own scope, so coverage means something: the above-size firms,
    # the smaller ones, the factories, everyone.
    assert len(set(campaigns.values_list("scope_kind", flat=True))) >= 3
    for campaign in campaigns:
        targets = campaign_targets(campaign)
        visited = targets.filter(visits__campaign=campaign).distinct().count()
        assert 0 < visited <= targets.count()
        assert not forms.filter(campaign=campaign).exclude(enterprise__in=targets).exists()
    everyone = campaigns.filter(scope_kind=ScopeKind.ALL).first()
    assert everyone is not None
    assert (
        campaign_targets(everyone).filter(visits__campaign=everyone).distinct().count()
        < campaign_targets(everyone).count()
    )


def test_this_year_s_first_half_visits_again_and_settles_its_demands_by_30_june(demo: DemoSummary) -> None:
    figures = demo.demands
    assert figures is not None and figures.first_half_visits is not None
    this_year = TODAY.year
    campaigns = Campaign.objects.filter(jurisdiction_path__startswith=MAIN_PATH, starts_on__year=this_year)
    assert campaigns.count() == figures.first_half_visits.campaigns == 5
    assert all(c.starts_on.month < 7 and c.state == CampaignState.CLOSED for c in campaigns)
    first_half = main_demands().filter(
        received_at__gte=dt.datetime(this_year, 1, 1, tzinfo=workdays.SHANGHAI),
        received_at__lt=dt.datetime(this_year, 7, 1, tzinfo=workdays.SHANGHAI),
    )
    assert first_half.count() == figures.first_half_total > 600
    # The same ladder as last year: about 70 % solved on the spot, each at one of these visits.
    on_spot = first_half.filter(solved_on_spot=True)
    assert on_spot.count() == figures.first_half_on_spot == round(figures.first_half_total * 0.71)
    assert RaisedDemand.objects.filter(visit__campaign__in=campaigns).count() == on_spot.count()
    # Everything of the first half is settled by 30 June.
    assert not first_half.exclude(state=DemandState.CLOSED).exists()
    assert not first_half.filter(
        closed_at__gte=dt.datetime(this_year, 7, 1, tzinfo=workdays.SHANGHAI)
    ).exists()


def test_dispatch_meetings_take_the_dispatch_meeting_s_demands(demo: DemoSummary) -> None:
    from lianqi.projects.models import Decision, Meeting

    figures = demo.projects
    assert figures is not None and figures.meetings >= 4
    assert Meeting.objects.filter(jurisdiction_path=MAIN_PATH).count() == figures.meetings
    decisions = Decision.objects.filter(meeting__jurisdiction_path=MAIN_PATH).select_related(
        "demand", "project"
    )
    assert decisions.count() == figures.decisions >= figures.meetings
    assert all(Channel.DISPATCH_MEETING in (d.demand.channel, d.demand.venue) for d in decisions)
    assert all(d.project.enterprise_id == d.demand.enterprise_id for d in decisions)
