"""The demo shows the seeds' figures where a page can show them, counted from the data the way
the pages count them (not read back from the builder's plan):

- seed 003: the main park's fulfilment ledger of last year pays exactly ¥48,602,194.00 over 24
  fulfilment cases and 6 免申即享 benefits (承诺兑现办件24件、免申即享6件 … 4860.2194万元);
- seed 003: satisfaction at return visits 97.4% — within 2–4% dissatisfied, each redone;
- seed 001: 当即解决 70%+, 交办 / 圆桌会 / 调度会 ~20% (split over the three), 专家专项协商 ~10%.

A small demo (scale 0.2) keeps the test fast; the figures hold at every scale from there up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from lianqi.accounts.models import User
from lianqi.core import registry
from lianqi.core.registry import Period
from lianqi.demands import statistics
from lianqi.demands.choices import DemandAction, DemandState, Satisfaction
from lianqi.demands.models import Demand, DemandEvent
from lianqi.demo import catalogue
from lianqi.demo.builder import DemoSummary, build_demo, ensure_reference_data
from lianqi.org.models import Jurisdiction
from lianqi.policies import queries as ledger
from lianqi.policies.money import yuan_text

#: The demo's "now": a Friday in the second half of a year whose holidays are loaded.
TODAY = dt.date(2026, 11, 20)
LAST_YEAR = TODAY.year - 1
#: Seed 003, the main park's last year.
PAID = Decimal("48602194.00")
FULFILMENT_CASES = 24
NO_APPLICATION_CASES = 6


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """A small demo with demands and policies, built once and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        summary = build_demo(scale=0.2, seed=2022, today=TODAY)
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def demo(built: DemoSummary, db: Any) -> DemoSummary:
    return built


def main_park() -> Jurisdiction:
    return Jurisdiction.objects.get(code=catalogue.MAIN_PARK.code)


def test_last_years_ledger_is_seed_003s_to_the_fen(demo: DemoSummary) -> None:
    entries = ledger.ledger_in(main_park().path, Period.year(LAST_YEAR))
    figures = ledger.ledger_figures(entries)
    assert figures["disbursed"] == PAID
    assert figures["disbursed_count"] == FULFILMENT_CASES + NO_APPLICATION_CASES
    assert figures["no_application_disbursed_count"] == NO_APPLICATION_CASES
    # Paid, each to the fen, and approved as paid.
    paid = entries.filter(disbursed_amount__isnull=False)
    assert all(e.disbursed_amount == e.approved_amount for e in paid)
    assert sum((e.disbursed_amount or Decimal("0") for e in paid), Decimal("0")) == PAID
    # The office's ledger page, filtered to the year, totals the same and shows the 免申即享 part.
    client = Client()
    client.force_login(User.objects.get(username="office"))
    page = client.get(reverse("policies:ledger"), {"period": str(LAST_YEAR)}).content.decode()
    grand = page.split('data-testid="ledger-grand-total"')[1].split("</tr>")[0]
    assert yuan_text(PAID) in grand
    free = page.split('data-testid="ledger-no-application-total"')[1].split("</tr>")[0]
    assert yuan_text(figures["no_application_disbursed"]) in free
    assert f">{NO_APPLICATION_CASES}<" in free


def test_return_visit_satisfaction_is_seed_003s_with_the_dissatisfied_redone(demo: DemoSummary) -> None:
    measure = registry.measure("demands.return_visit_satisfaction_rate")
    for year in (LAST_YEAR, TODAY.year):
        rate = measure.compute(main_park().path, Period.year(year))
        # 2–4 % of the return visits dissatisfied (seed 003: 97.4 % satisfied).
        assert rate is not None and Decimal("96.0") <= rate <= Decimal("98.0"), (year, rate)
    # Every dissatisfied return visit sent its demand back, and the redo was visited again.
    redone = DemandEvent.objects.filter(
        action=DemandAction.RETURN_VISIT_REDO, satisfaction=Satisfaction.UNSATISFIED
    )
    assert redone.exists()
    for event in redone.select_related("demand"):
        later = event.demand.events.filter(at__gt=event.at)
        assert later.filter(action=DemandAction.REPLY).exists()
        assert later.filter(action__in=(DemandAction.RETURN_VISIT, DemandAction.RATE)).exists()
    last_years = Demand.objects.filter(events__in=redone, received_at__year=LAST_YEAR)
    assert not last_years.exclude(state=DemandState.CLOSED).exists()


def test_the_ladder_is_seed_001s(demo: DemoSummary) -> None:
    demands = statistics.filter_demands(
        Demand.objects.filter(jurisdiction_path__startswith=main_park().path),
        period=statistics.Period.year(LAST_YEAR),
    )
    counted = statistics.ladder(demands)
    share = {step.rung.key: step.share for step in counted.steps}
    assert share["on_spot"] is not None and share["on_spot"] >= 70
    assert counted.escalated_share is not None and 18 <= counted.escalated_share <= 22
    assert share["expert"] is not None and 8 <= share["expert"] <= 11
    assert counted.step("waiting").count == 0
    # The escalated share is split over all three rungs, as the builder meant it to be.
    plan = demo.demands
    assert plan is not None
    split = {step.rung.key: step.count for step in counted.steps if step.rung.escalated}
    assert split == {
        "assigned": plan.assigned,
        "roundtable": plan.roundtable,
        "dispatch_meeting": plan.dispatch,
    }
    assert all(split.values())
