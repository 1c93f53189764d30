"""The demo's demands are deterministic: the same seed and day give the same demands, texts,
times and histories; another seed gives others. (Apart from the full-scale module, whose one
demo stays open for the whole module.)"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count

from lianqi.demands.models import Demand, DemandEvent
from lianqi.demo.builder import build_demo, ensure_reference_data
from lianqi.demo.demands import HALF_YEAR_DEMANDS, YEAR_DEMANDS

TODAY = dt.date(2026, 11, 20)


def _digest() -> str:
    parts = [
        list(
            Demand.objects.order_by("pk").values_list(
                "enterprise__credit_code",
                "category__name",
                "channel",
                "description",
                "state",
                "outcome",
                "received_at",
                "lead_department__name",
                "due_on",
                "reply",
                "satisfaction",
            )
        ),
        list(
            DemandEvent.objects.order_by("pk").values_list(
                "demand__description", "action", "to_state", "actor__username", "note", "at"
            )
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@pytest.fixture(scope="module")
def reference_data(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        yield
        transaction.set_rollback(True)


def _small(seed: int) -> tuple[str, dict[str, int]]:
    with transaction.atomic():
        summary = build_demo(scale=0.06, seed=seed, today=TODAY, policies=False)
        digest = _digest()
        counts = dict(Demand.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
        assert summary.demands is not None
        counts["first_half"] = summary.demands.first_half_total
        # The enterprises' reports of an unregistered inspection are demands too.
        counts["reports"] = summary.inspections.unregistered_reports if summary.inspections else 0
        transaction.set_rollback(True)
    return digest, counts


@pytest.mark.django_db
def test_same_seed_gives_the_same_demands(reference_data: Any) -> None:
    first = _small(5)
    assert not Demand.objects.exists()
    assert _small(5) == first
    assert _small(6)[0] != first[0]
    first_half = first[1].pop("first_half")
    reports = first[1].pop("reports")
    assert first_half > 0
    assert (
        sum(first[1].values())
        == round(YEAR_DEMANDS * 0.06) + first_half + round(HALF_YEAR_DEMANDS * 0.06) + 1 + reports
    )


@pytest.mark.django_db
def test_build_without_demands(reference_data: Any) -> None:
    summary = build_demo(scale=0.02, seed=3, today=TODAY, demands=False, policies=False)
    assert summary.demands is None and not Demand.objects.exists()
