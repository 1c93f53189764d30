"""The demands' measures equal what the pages show for the same jurisdiction and period: each
statistics figure what the statistics page's headline shows the park's leader for the year
(with the definition the page prints), the overdue count what the board's 已超期 tab counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lianqi.core import registry
from lianqi.core.registry import Period
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.testing.world import World

from .. import statistics
from ..choices import DemandAction, DemandState, Outcome, RatingSource, Satisfaction
from ..models import Demand, DemandEvent
from .factories import make_demand

pytestmark = pytest.mark.django_db

YEAR = 2025

#: Each measure of a statistics figure, and the figure it is.
FIGURES = {
    "demands.received": "received",
    "demands.on_spot_rate": "on_spot_rate",
    "demands.satisfaction_rate": "satisfied_rate",
    "demands.return_visit_satisfaction_rate": "return_visit_satisfied_rate",
    "demands.solved_rate": "solved_rate",
    "demands.responded_rate": "contacted_rate",
    "demands.legacy_cleared_rate": "legacy_cleared_rate",
}


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(YEAR, month, day, 10, 0, tzinfo=SHANGHAI)


def closed(world: World, received_at: dt.datetime, **fields: Any) -> None:
    """A demand closed a week after it came in."""
    make_demand(
        world,
        DemandState.CLOSED,
        received_at=received_at,
        closed_at=received_at + dt.timedelta(days=7),
        **fields,
    )


def rated(world: World, *, contacted: bool, solved: bool, satisfaction: str, **fields: Any) -> None:
    closed(
        world,
        contacted=contacted,
        solved=solved,
        satisfaction=satisfaction,
        rating_source=RatingSource.ENTERPRISE,
        **fields,
    )


def return_visited(world: World, *, received_at: dt.datetime) -> None:
    """A demand whose first return visit found the enterprise dissatisfied (redone) and whose
    second was satisfied, as the rating action records them."""
    closed(
        world,
        received_at,
        contacted=True,
        solved=True,
        satisfaction=Satisfaction.SATISFIED,
        rating_source=RatingSource.RETURN_VISIT,
        redo_count=1,
    )
    demand = Demand.objects.latest("pk")
    for days, action, satisfaction in (
        (3, DemandAction.RETURN_VISIT_REDO, Satisfaction.UNSATISFIED),
        (6, DemandAction.RETURN_VISIT, Satisfaction.SATISFIED),
    ):
        DemandEvent.objects.create(
            demand=demand,
            jurisdiction_path=demand.jurisdiction_path,
            action=action,
            to_state=DemandState.CLOSED,
            department=demand.lead_department,
            version=days,
            satisfaction=satisfaction,
            at=received_at + dt.timedelta(days=days),
        )


def populate(world: World) -> None:
    """A year of the home park (on the spot, rated three ways, legacy problems, overdue ones),
    a demand of the year before and one of the other park, which no figure counts."""
    closed(world, at(1, 6), solved_on_spot=True)
    rated(world, contacted=True, solved=True, satisfaction=Satisfaction.SATISFIED, received_at=at(2, 3))
    rated(world, contacted=True, solved=False, satisfaction=Satisfaction.BASICALLY, received_at=at(3, 3))
    rated(world, contacted=False, solved=False, satisfaction=Satisfaction.UNSATISFIED, received_at=at(4, 1))
    return_visited(world, received_at=at(4, 7))
    make_demand(world, DemandState.ESCALATED, received_at=at(5, 6), is_legacy=True)
    closed(world, at(5, 7), is_legacy=True, outcome=Outcome.EXPLAINED)
    make_demand(world, DemandState.ASSIGNED, received_at=at(6, 2), due_on=dt.date(YEAR, 6, 9))
    make_demand(world, DemandState.HANDLING, received_at=at(7, 1), due_on=dt.date(YEAR, 7, 8))
    make_demand(world, DemandState.REPLIED, received_at=at(8, 4), due_on=dt.date(YEAR, 8, 11))
    make_demand(world, DemandState.ASSIGNED, received_at=dt.datetime(YEAR - 1, 12, 1, 10, tzinfo=SHANGHAI))
    other = world.other
    make_demand(
        world,
        DemandState.ASSIGNED,
        jurisdiction=other.park,
        enterprise=other.enterprise,
        liaison=other.liaison_staff,
        lead_department=other.department,
        received_at=at(3, 3),
    )


def leader_path(world: World) -> str:
    """The path of the leader's jurisdiction: the scope of their statistics page."""
    jurisdiction = world.user(Role.LEADER).jurisdiction
    assert jurisdiction is not None
    return jurisdiction.path


def leader_client(world: World) -> Client:
    client = Client()
    client.force_login(world.user(Role.LEADER))
    return client


def test_every_measure_is_registered_with_its_unit() -> None:
    keys = {m.key for m in registry.measures() if m.key.startswith("demands.")}
    assert keys == {*FIGURES, "demands.overdue"}
    assert str(registry.measure("demands.received").unit) == "件"
    assert str(registry.measure("demands.overdue").unit) == "件"
    for key in FIGURES:
        if key != "demands.received":
            assert registry.measure(key).unit == "%"


@pytest.mark.parametrize(("key", "figure"), sorted(FIGURES.items()))
def test_a_figure_equals_the_statistics_pages(world: World, key: str, figure: str) -> None:
    populate(world)
    response = leader_client(world).get(reverse("demands:statistics"), {"year": str(YEAR)})
    shown = {definition.key: value for definition, value in response.context["headline"]}
    measure = registry.measure(key)
    computed = measure.compute(leader_path(world), Period.year(YEAR))
    assert computed == shown[figure].value
    assert computed is not None
    # The definition and the name are the page's own.
    assert str(measure.definition) == str(statistics.DEFINITIONS[figure].definition)
    assert str(measure.definition) in response.content.decode()
    assert str(measure.label) == str(statistics.DEFINITIONS[figure].name)
    assert measure.url_name == "demands:statistics"


def test_the_figures_are_the_parks_and_the_periods(world: World) -> None:
    populate(world)
    path = leader_path(world)
    received = registry.measure("demands.received")
    assert received.compute(path, Period.year(YEAR)) == 10
    assert received.compute(path, Period.year(YEAR - 1)) == 1
    assert received.compute(world.other.park.path, Period.year(YEAR)) == 1
    assert received.compute(path, Period(dt.date(YEAR, 2, 1), dt.date(YEAR, 3, 31))) == 2
    # Nothing to divide by is None (shown as “—”), never 0 %.
    assert registry.measure("demands.satisfaction_rate").compute(path, Period.year(2020)) is None
    # One of the two return visits (the one that sent its demand back) was not satisfied.
    assert registry.measure("demands.return_visit_satisfaction_rate").compute(path, Period.year(YEAR)) == 50


def test_overdue_equals_the_boards_overdue_tab(world: World) -> None:
    populate(world)
    path = leader_path(world)
    # The board counts every open demand; the year's measure those received in the year.
    board = leader_client(world).get(reverse("demands:board"))
    last_year = registry.measure("demands.overdue").compute(path, Period.year(YEAR - 1))
    this_year = registry.measure("demands.overdue").compute(path, Period.year(YEAR))
    assert this_year == 2  # the assigned and the handling one; a replied one is not owed
    assert last_year == 1
    assert this_year + last_year == board.context["counts"]["overdue"]
