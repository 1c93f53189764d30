"""The demo's policy shelf and fulfilment ledger: several hundred policies across the levels,
this year's in force, every step of the ledger represented, last year's payments in the order
of magnitude Shaoyang reports, deterministic for a seed and a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from lianqi.demo.builder import DemoSummary, build_demo, ensure_reference_data
from lianqi.policies.choices import FulfilmentState, PolicyLevel
from lianqi.policies.models import Fulfilment, Policy
from lianqi.policies.queries import overdue_fulfilments, version_on

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """The demo with its policies (no demands), built once and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        summary = build_demo(seed=2022, today=TODAY, demands=False)
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def demo(built: DemoSummary, db: Any) -> DemoSummary:
    return built


def test_several_hundred_policies_at_every_level(demo: DemoSummary) -> None:
    assert demo.policies is not None and demo.policies.policies >= 300
    levels = set(Policy.objects.values_list("level", flat=True))
    assert levels == set(PolicyLevel.values)
    in_force = [p for p in Policy.objects.all() if version_on(p, TODAY) is not None]
    assert len(in_force) == demo.policies.in_force >= 60
    assert Policy.objects.filter(no_application=True).count() == demo.policies.no_application > 0
    assert Policy.objects.filter(title__contains="本地战略性产业产品首次采购补贴").exists()


def test_the_ledger_holds_every_step_and_last_years_payments(demo: DemoSummary) -> None:
    assert demo.policies is not None
    states = set(Fulfilment.objects.values_list("state", flat=True))
    assert states == set(FulfilmentState.values)
    paid = demo.policies.disbursed_amount
    # Shaoyang paid ¥48.6 million in a year: the demo's last year is in that order of magnitude.
    assert Decimal("10000000") <= paid <= Decimal("500000000")  # yuan, to the fen
    assert paid == paid.quantize(Decimal("0.01"))
    last_year = Fulfilment.objects.filter(period=TODAY.year - 1, state=FulfilmentState.DISBURSED)
    assert all(f.voucher_number and f.disbursed_on.year == TODAY.year - 1 for f in last_year)  # type: ignore[union-attr]
    # Every disbursement went through its steps, each with its event.
    sample = last_year.first()
    assert sample is not None and sample.events.last().action == "disburse"  # type: ignore[union-attr]
    # A few of this year's are past the administration's deadline, flagged as overdue.
    from lianqi.core.workdays import SHANGHAI

    now = dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=SHANGHAI)
    assert overdue_fulfilments(Fulfilment.objects.filter(period=TODAY.year), at=now).exists()
