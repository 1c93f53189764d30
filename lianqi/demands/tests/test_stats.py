"""The statistics: every figure on a small hand-built set of demands, with the expected value
worked out by hand from its definition in `stats.DEFINITIONS`; denominators of 0; grouping;
scoping; and the documentation kept identical to the definitions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lianqi.core.roles import Role
from lianqi.core.scoping import scope_queryset
from lianqi.core.workdays import SHANGHAI
from lianqi.demands import actions, permissions
from lianqi.demands import statistics as stats
from lianqi.demands.choices import Channel, DemandAction, DemandState, Outcome, RatingSource, Satisfaction
from lianqi.demands.models import Demand, DemandEvent, StatisticsCell
from lianqi.org.models import Department
from lianqi.testing.world import World, make_enterprise

from .factories import category, handler, make_demand

pytestmark = pytest.mark.django_db

AT = dt.datetime(2025, 6, 30, 18, 0, tzinfo=SHANGHAI)
YEAR = stats.Period.year(2025)


def t(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, 0, tzinfo=SHANGHAI)


def event(demand: Demand, action: str, at: dt.datetime, **fields: Any) -> DemandEvent:
    values: dict[str, Any] = {
        "demand": demand,
        "jurisdiction_path": demand.jurisdiction_path,
        "action": action,
        "to_state": DemandState.ASSIGNED,
        "department": demand.lead_department,
        "due_on": demand.due_on,
        "version": 1,
        "at": at,
    }
    values.update(fields)
    return DemandEvent.objects.create(**values)


def closed(world: World, **fields: Any) -> Demand:
    return make_demand(world, DemandState.CLOSED, **fields)


def figures(world: World, group_by: str | None = None, **kw: Any) -> stats.Statistics:
    leader = world.user(Role.LEADER)
    queryset = stats.filter_demands(permissions.visible(leader), period=YEAR)
    return stats.compute_statistics(queryset, group_by=group_by, at=kw.pop("at", AT), **kw)


@pytest.fixture
def demands(world: World) -> dict[str, Demand]:
    """Five demands of the home park received in 2025, one of 2024, one of the other park."""
    built: dict[str, Demand] = {}
    # A: solved on the spot on the day it came in.
    built["a"] = closed(
        world,
        received_at=t(3, 3),
        closed_at=t(3, 3, 11),
        solved_on_spot=True,
        lead_department=None,
        assigned_at=None,
        due_on=None,
        deadline_workdays=None,
    )
    # B: assigned Mon 3 Mar with 5 working days (due Mon 10 Mar), signed Tue 4 Mar (on time:
    # 4 working days left >= 5 - 1), replied Fri 7 Mar, rated by the enterprise: contacted,
    # solved, satisfied; closed Fri 7 Mar: 4 working days after receipt.
    built["b"] = closed(
        world,
        received_at=t(3, 3),
        closed_at=t(3, 7, 16),
        replied_at=t(3, 7, 15),
        contacted=True,
        solved=True,
        satisfaction=Satisfaction.SATISFIED,
        rating_source=RatingSource.ENTERPRISE,
    )
    event(built["b"], DemandAction.ASSIGN, t(3, 3))
    event(built["b"], DemandAction.SIGN, t(3, 4), to_state=DemandState.SIGNED)
    # C: same deadline, signed Thu 6 Mar (2 working days left < 4: late), replied Wed 12 Mar
    # (after the deadline), return visit: contacted, not solved, basically satisfied, redone
    # once; closed Fri 14 Mar with outcome "explained": 9 working days after receipt.
    built["c"] = closed(
        world,
        received_at=t(3, 3),
        closed_at=t(3, 14),
        replied_at=t(3, 12),
        outcome=Outcome.EXPLAINED,
        contacted=True,
        solved=False,
        satisfaction=Satisfaction.BASICALLY,
        rating_source=RatingSource.RETURN_VISIT,
        redo_count=1,
    )
    event(built["c"], DemandAction.ASSIGN, t(3, 3))
    event(built["c"], DemandAction.SIGN, t(3, 6), to_state=DemandState.SIGNED)
    # D: received Thu 3 Apr, sent back on Thu 3 Apr, rerouted; still open, a legacy problem.
    built["d"] = make_demand(
        world,
        DemandState.ASSIGNED,
        received_at=t(4, 3),
        assigned_at=t(4, 3),
        due_on=dt.date(2025, 4, 11),
        is_legacy=True,
    )
    event(built["d"], DemandAction.ASSIGN, t(4, 3))
    event(built["d"], DemandAction.SEND_BACK, t(4, 3, 15), to_state=DemandState.SENT_BACK)
    event(built["d"], DemandAction.REROUTE, t(4, 7))
    # E: a legacy problem received Thu 3 Apr and closed Mon 7 Apr (Fri 4 Apr is Qingming, a
    # holiday): 1 working day. Closed by the office without a deadline.
    built["e"] = closed(
        world,
        received_at=t(4, 3),
        closed_at=t(4, 7),
        is_legacy=True,
        outcome=Outcome.NOT_REMIT,
        lead_department=None,
        due_on=None,
        assigned_at=None,
        deadline_workdays=None,
    )
    # Outside the period and outside the park: never counted.
    built["old"] = closed(
        world,
        received_at=dt.datetime(2024, 12, 31, 23, 0, tzinfo=SHANGHAI),
        solved_on_spot=True,
        closed_at=t(1, 2),
    )
    other = world.other
    built["other"] = closed(
        world,
        jurisdiction=other.park,
        enterprise=other.enterprise,
        liaison=other.liaison_staff,
        lead_department=other.department,
        received_at=t(3, 3),
        solved_on_spot=True,
        closed_at=t(3, 3),
    )
    event(built["other"], DemandAction.SEND_BACK, t(3, 3), department=other.department)
    return built


def values(statistics: stats.Statistics) -> dict[str, Any]:
    return {key: figure.value for key, figure in statistics.total.figures.items()}


def test_every_figure_of_the_headline(world: World, demands: dict[str, Demand]) -> None:
    figures_ = figures(world).total.figures
    # Received in 2025 in the home park: A, B, C, D, E.
    assert figures_["received"].value == 5
    # On the spot: A of 5 → 20.0 %.
    assert (figures_["on_spot_rate"].numerator, figures_["on_spot_rate"].denominator) == (1, 5)
    assert figures_["on_spot_rate"].value == Decimal("20.0")
    # Signs: B on time, C late → 1 of 2.
    assert (figures_["signed_on_time_rate"].numerator, figures_["signed_on_time_rate"].denominator) == (1, 2)
    # Closed with a deadline: B (replied 7 Mar <= 10 Mar) and C (12 Mar > 10 Mar) → 1 of 2.
    assert (figures_["closed_on_time_rate"].numerator, figures_["closed_on_time_rate"].denominator) == (1, 2)
    # Assignments: B, C, D assigned, D rerouted = 4; one send-back → 25.0 %.
    assert (figures_["send_back_rate"].numerator, figures_["send_back_rate"].denominator) == (1, 4)
    assert figures_["send_back_rate"].value == Decimal("25.0")
    # Rated: B and C; redone: C → 50 %. Contacted both: 100 %; solved: B only (C closed but
    # not solved); satisfied or basically: both.
    assert (figures_["redo_rate"].numerator, figures_["redo_rate"].denominator) == (1, 2)
    assert figures_["contacted_rate"].value == Decimal("100.0")
    assert (figures_["solved_rate"].numerator, figures_["solved_rate"].denominator) == (1, 2)
    assert figures_["satisfied_rate"].value == Decimal("100.0")
    # Closed: A 0, B 4, C 9, E 1 working days → 14 / 4 = 3.5.
    average = figures_["average_workdays_to_close"]
    assert (average.numerator, average.denominator, average.value) == (14, 4, Decimal("3.5"))
    # Legacy: D open, E cleared.
    assert figures_["legacy_open"].value == 1
    assert (figures_["legacy_cleared_rate"].numerator, figures_["legacy_cleared_rate"].denominator) == (1, 2)
    assert figures_["legacy_cleared_rate"].display == "50.0%"


def test_closed_after_the_moment_counts_as_open(world: World, demands: dict[str, Demand]) -> None:
    # On 5 Mar 2025 only A was closed, no legacy problem existed yet, C was not signed yet.
    result = figures(world, at=t(3, 5, 12)).total.figures
    assert result["received"].value == 3
    assert result["average_workdays_to_close"].denominator == 1
    assert result["average_workdays_to_close"].value == Decimal("0.0")
    assert result["closed_on_time_rate"].value is None
    assert result["signed_on_time_rate"].denominator == 1


def test_denominator_zero_shows_a_dash(world: World) -> None:
    result = figures(world).total.figures
    assert result["received"].value == 0
    for key, definition in stats.DEFINITIONS.items():
        if definition.kind in ("rate", "average"):
            assert result[key].value is None, key
            assert result[key].display == "—", key


def test_closed_is_not_solved(world: World) -> None:
    # Closed as a duplicate and as "not our remit", rated "not solved": the solved rate is 0 %,
    # not 100 % for "closed".
    for outcome in (Outcome.DUPLICATE, Outcome.NOT_REMIT):
        closed(
            world,
            received_at=t(5, 6),
            closed_at=t(5, 7),
            outcome=outcome,
            contacted=True,
            solved=False,
            satisfaction=Satisfaction.UNSATISFIED,
            rating_source=RatingSource.ENTERPRISE,
        )
    result = figures(world).total.figures
    assert result["solved_rate"].value == Decimal("0.0")
    assert result["satisfied_rate"].value == Decimal("0.0")


def test_grouped_by_month_department_category_and_liaison(world: World, demands: dict[str, Demand]) -> None:
    months = stats.fill_months(figures(world, "month"), YEAR)
    assert [row.label for row in months.rows][:4] == ["2025-01", "2025-02", "2025-03", "2025-04"]
    by_month = {row.label: row.figures for row in months.rows}
    assert by_month["2025-03"]["received"].value == 3
    assert by_month["2025-04"]["received"].value == 2
    assert by_month["2025-01"]["on_spot_rate"].value is None
    # March: signs of B and C; April: the send-back of D (2 assignments).
    assert by_month["2025-03"]["signed_on_time_rate"].denominator == 2
    assert by_month["2025-04"]["send_back_rate"].value == Decimal("50.0")
    assert by_month["2025-04"]["average_workdays_to_close"].value == Decimal("1.0")
    assert months.total.figures["received"].value == 5

    by_department = figures(world, "department")
    rows = {row.label: row.figures for row in by_department.rows}
    department = world.home.department.name
    assert rows[department]["received"].value == 3  # B, C, D
    assert rows["（未指定）"]["received"].value == 2  # A and E had no department
    assert rows[department]["send_back_rate"].numerator == 1

    by_liaison = figures(world, "liaison")
    assert [row.label for row in by_liaison.rows] == [world.home.liaison_staff.name]

    second = category("用地需求")
    closed(world, received_at=t(5, 5), closed_at=t(5, 5), category=second, solved_on_spot=True)
    by_category = {row.label: row.figures for row in figures(world, "category").rows}
    assert by_category["用地需求"]["on_spot_rate"].value == Decimal("100.0")
    assert by_category["融资困难"]["received"].value == 5


def test_department_grouping_credits_the_department_that_acted(world: World) -> None:
    """A send-back counts against the department that sent it back, though the demand now sits
    with the department it was rerouted to."""
    first = world.home.department
    second = Department.objects.create(jurisdiction=world.home.park, name="自然资源局")
    demand = make_demand(world, DemandState.ASSIGNED, received_at=t(3, 3), lead_department=second)
    event(demand, DemandAction.ASSIGN, t(3, 3), department=first)
    event(demand, DemandAction.SEND_BACK, t(3, 4), department=first, to_state=DemandState.SENT_BACK)
    event(demand, DemandAction.REROUTE, t(3, 5), department=second)
    rows = {row.label: row.figures for row in figures(world, "department").rows}
    assert rows[first.name]["send_back_rate"].value == Decimal("100.0")
    assert rows[second.name]["send_back_rate"].value == Decimal("0.0")
    assert rows[second.name]["received"].value == 1
    # A department's own page limits the events to its own acts.
    only_second = figures(world, department_id=second.pk).total.figures
    assert only_second["send_back_rate"].numerator == 0


def test_real_actions_give_the_same_figures(world: World) -> None:
    """Run the lifecycle through the actions with explicit times, then read the figures."""
    office = world.user(Role.SERVICE_OFFICE)
    department_user = handler(world.home)
    enterprise = world.home.enterprise
    demand = actions.submit_demand(
        enterprise=enterprise,
        category=category(),
        channel=Channel.LIAISON,
        description="用电报装慢",
        actor=office,
        at=t(3, 3, 9),
    )
    demand = actions.assign_demand(
        demand=demand,
        actor=office,
        expected_version=demand.version,
        department=world.home.department,
        workdays_limit=5,
        at=t(3, 3, 10),
    )
    # Signed on Wed 5 Mar: 3 working days left before Mon 10 Mar < 4 → late.
    demand = actions.sign_demand(
        demand=demand, actor=department_user, expected_version=demand.version, at=t(3, 5, 9)
    )
    demand = actions.reply_demand(
        demand=demand,
        actor=department_user,
        expected_version=demand.version,
        outcome=Outcome.SOLVED,
        note="已协调供电公司",
        at=t(3, 7),
    )
    demand = actions.rate_demand(
        demand=demand,
        actor=None,
        enterprise=enterprise,
        expected_version=demand.version,
        contacted=True,
        solved=False,
        satisfaction=Satisfaction.UNSATISFIED,
        at=t(3, 10),
    )
    # The redo: a fresh 5-day deadline from Mon 10 Mar (due Mon 17 Mar), signed on Tue 11 Mar.
    demand = actions.sign_demand(
        demand=demand, actor=department_user, expected_version=demand.version, at=t(3, 11)
    )
    demand = actions.reply_demand(
        demand=demand,
        actor=department_user,
        expected_version=demand.version,
        outcome=Outcome.SOLVED,
        note="已通电",
        at=t(3, 14),
    )
    actions.rate_demand(
        demand=demand,
        actor=None,
        enterprise=enterprise,
        expected_version=demand.version,
        contacted=True,
        solved=True,
        satisfaction=Satisfaction.SATISFIED,
        at=t(3, 17),
    )
    result = figures(world).total.figures
    assert (result["signed_on_time_rate"].numerator, result["signed_on_time_rate"].denominator) == (1, 2)
    assert (result["send_back_rate"].numerator, result["send_back_rate"].denominator) == (0, 2)
    assert result["redo_rate"].value == Decimal("100.0")
    assert result["solved_rate"].value == Decimal("100.0")
    # Replied 14 Mar before the redo deadline 17 Mar.
    assert result["closed_on_time_rate"].value == Decimal("100.0")
    # Received Mon 3 Mar, closed Mon 17 Mar: 10 working days.
    assert result["average_workdays_to_close"].value == Decimal("10.0")


def test_return_visit_satisfaction_counts_every_visit_as_answered(world: World) -> None:
    """A return visit that finds the enterprise dissatisfied sends the demand back; the redo's
    second return visit is satisfied. The demand's latest rating is satisfied (满意率 100 %),
    but one of the two return visits was not (回访满意率 50 %); an enterprise's own rating of
    another demand does not count as a return visit."""
    office = world.user(Role.SERVICE_OFFICE)
    department_user = handler(world.home)
    enterprise = world.home.enterprise

    def replied(received: dt.datetime) -> Demand:
        demand = actions.submit_demand(
            enterprise=enterprise,
            category=category(),
            channel=Channel.LIAISON,
            description="厂区道路破损",
            actor=office,
            at=received,
        )
        demand = actions.assign_demand(
            demand=demand,
            actor=office,
            expected_version=demand.version,
            department=world.home.department,
            workdays_limit=5,
            at=received + dt.timedelta(hours=1),
        )
        return reply(demand, received + dt.timedelta(days=1))

    def reply(demand: Demand, at: dt.datetime) -> Demand:
        demand = actions.sign_demand(
            demand=demand, actor=department_user, expected_version=demand.version, at=at
        )
        return actions.reply_demand(
            demand=demand,
            actor=department_user,
            expected_version=demand.version,
            outcome=Outcome.SOLVED,
            note="已修复",
            at=at + dt.timedelta(hours=2),
        )

    def visit(
        demand: Demand, satisfaction: Satisfaction, at: dt.datetime, *, return_visit: bool = True
    ) -> Demand:
        return actions.rate_demand(
            demand=demand,
            actor=office if return_visit else None,
            enterprise=None if return_visit else enterprise,
            expected_version=demand.version,
            contacted=True,
            solved=satisfaction != Satisfaction.UNSATISFIED,
            satisfaction=satisfaction,
            return_visit=return_visit,
            at=at,
        )

    redone = visit(replied(t(4, 1)), Satisfaction.UNSATISFIED, t(4, 8))
    assert redone.state == DemandState.ASSIGNED
    visit(reply(redone, t(4, 9)), Satisfaction.SATISFIED, t(4, 14))
    visit(replied(t(4, 2)), Satisfaction.BASICALLY, t(4, 9), return_visit=False)

    result = figures(world).total.figures
    assert result["satisfied_rate"].value == Decimal("100.0")
    visits = result["return_visit_satisfied_rate"]
    assert (visits.numerator, visits.denominator, visits.display) == (1, 2, "50.0%")
    # The stored day cells give the same figure as the live count.
    stats.refresh()
    leader = world.user(Role.LEADER)
    cells = stats.filter_by_day(scope_queryset(StatisticsCell.objects.all(), leader), period=YEAR)
    stored = stats.statistics_from_cells(cells, period=YEAR, at=AT).total.figures
    assert stored["return_visit_satisfied_rate"].display == "50.0%"


def test_other_park_and_a_handler_see_only_their_own(world: World, demands: dict[str, Demand]) -> None:
    other_leader = world.other_user(Role.LEADER)
    queryset = stats.filter_demands(permissions.visible(other_leader), period=YEAR)
    result = stats.compute_statistics(queryset, at=AT).total.figures
    assert result["received"].value == 1
    assert result["send_back_rate"].numerator == 1
    # Another enterprise's demand in another department is not the handler's.
    second = Department.objects.create(jurisdiction=world.home.park, name="住建局")
    other_enterprise = make_enterprise(world.home.park, "湘潭另一家企业")
    make_demand(
        world, DemandState.ASSIGNED, enterprise=other_enterprise, lead_department=second, received_at=t(5, 5)
    )
    user = handler(world.home)
    queryset = stats.filter_demands(
        permissions.visible(user), period=YEAR, department_id=user.staff.department_id
    )
    assert stats.compute_statistics(queryset, at=AT).total.figures["received"].value == 3


def test_filters(world: World, demands: dict[str, Demand]) -> None:
    leader = world.user(Role.LEADER)
    march = stats.Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    queryset = stats.filter_demands(permissions.visible(leader), period=march)
    assert stats.compute_statistics(queryset, at=AT).total.figures["received"].value == 3
    queryset = stats.filter_demands(
        permissions.visible(leader), period=YEAR, category_id=category("用地需求").pk
    )
    assert stats.compute_statistics(queryset, at=AT).total.figures["received"].value == 0
    queryset = stats.filter_demands(
        permissions.visible(leader), period=YEAR, jurisdiction_code=world.other.park.code
    )
    assert stats.compute_statistics(queryset, at=AT).total.figures["received"].value == 0


def test_a_period_reaching_into_a_year_without_holidays_says_so(world: World) -> None:
    from lianqi.core.models import CalendarYear

    CalendarYear.objects.filter(year=2025).delete()
    closed(world, received_at=t(4, 3), closed_at=t(4, 7))
    result = figures(world)
    assert result.fallback_years == [2025]
    # Without the Qingming holiday, Thu 3 → Mon 7 Apr is 2 working days.
    assert result.total.figures["average_workdays_to_close"].value == Decimal("2.0")


def test_unknown_grouping_is_refused() -> None:
    with pytest.raises(ValueError):
        stats.compute_statistics(Demand.objects.none(), group_by="enterprise", at=AT)


def test_every_definition_is_complete() -> None:
    assert list(stats.DEFINITIONS) == list(stats.Counts().figures())
    for definition in stats.DEFINITIONS.values():
        assert str(definition.name) and len(str(definition.definition)) > 10
        assert definition.kind in ("count", "rate", "average")


def test_docs_match_the_definitions() -> None:
    path = Path(__file__).resolve().parents[3] / "docs" / "statistics.md"
    assert path.read_text(encoding="utf-8") == stats.definitions_markdown()


def test_the_same_few_queries_whatever_the_size(world: World, demands: dict[str, Demand]) -> None:
    figures(world, "department")  # the calendar is cached from here on
    # min(received) + the two grouped queries + SET LOCAL/savepoint bookkeeping + labels.
    with CaptureQueriesContext(connection) as few:
        figures(world, "department")
    for day in range(3, 28):
        closed(world, received_at=t(3, day), closed_at=t(3, day, 12), solved_on_spot=True)
    with CaptureQueriesContext(connection) as many:
        figures(world, "department")
    assert len(many) == len(few) <= 12
