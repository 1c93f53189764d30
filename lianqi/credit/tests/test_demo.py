"""The credit part of the demo on a small park: seed 003's figures at the scale asked, the same
rows for the same seed, and the repaired records with their whole history."""

from __future__ import annotations

import datetime as dt

from lianqi.core.registry import Period
from lianqi.demo.credit import build_demo_credit
from lianqi.testing.world import World, make_enterprise

from .. import queries
from ..choices import RepairState
from ..models import Commitment, Convenience, DishonestyRecord, Interview, RecordEvent, ScoringRule

TODAY = dt.date(2025, 6, 30)


def test_the_demo_reaches_the_seed_s_figures_at_its_scale(world: World) -> None:
    for n in range(59):
        make_enterprise(world.home.park, f"邵阳县示范企业{n:02d}有限公司")
    figures = build_demo_credit(park=world.home.park, seed=7, scale=0.2, today=TODAY)
    # 219 × 0.2, 11 × 0.2, 6 × 0.2, 159 × 0.2 rounded.
    assert (figures.commitments, figures.honoured, figures.repaired, figures.xindai) == (44, 2, 1, 32)
    assert figures.records == DishonestyRecord.objects.count() == 5
    assert Commitment.objects.values("enterprise").distinct().count() == 44
    repaired = DishonestyRecord.objects.get(state=RepairState.REPAIRED)
    actions = list(
        RecordEvent.objects.filter(record=repaired).order_by("at", "pk").values_list("action", flat=True)
    )
    assert actions == ["create", "apply", "submit_materials", "approve", "repair"]
    assert queries.repaired_count(world.home.park.path, Period(dt.date(2020, 1, 1), TODAY)) == 1
    assert Interview.objects.count() >= 1 and Convenience.objects.count() == 4
    assert ScoringRule.objects.get().version == 1
    classes = queries.grades(world.home.enterprise.__class__.objects.filter(jurisdiction=world.home.park))
    assert {grade.credit_class for grade in classes.values()} >= {"A", "B", "D"}
