"""The migration to yuan on data: back to 万元 (rounded to the old ¥100 resolution) and
forwards again, every amount of the ledger, its history and the matches exact."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lianqi.testing.world import World

from ..choices import FulfilmentState as S
from ..choices import MatchVerdict
from ..models import Fulfilment, FulfilmentEvent, PolicyMatch
from .test_actions import AT, make_policy
from .test_measures import _entry, _version

BEFORE = [("policies", "0002_application_materials")]
AFTER = [("policies", "0003_amounts_in_yuan")]


def _migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _amounts() -> dict[str, Any]:
    entry = Fulfilment.objects.get()
    return {
        "promised": entry.promised_amount,
        "approved": entry.approved_amount,
        "disbursed": entry.disbursed_amount,
        "event": FulfilmentEvent.objects.get().amount,
        "match": PolicyMatch.objects.get().amount,
    }


def test_the_migration_converts_every_amount_forwards_and_back(transactional_db: Any, world: World) -> None:
    policy = make_policy(world)
    version = _version(policy)
    entry = _entry(
        policy,
        world.home.park,
        world.home.enterprise,
        S.DISBURSED,
        promised_amount=Decimal("100000.00"),
        approved_amount=Decimal("48602194.00"),
        disbursed_amount=Decimal("48602150.00"),  # ¥50 below the hundred: rounds half up going back
    )
    FulfilmentEvent.objects.create(
        fulfilment=entry, at=AT, action="disburse", to_state=S.DISBURSED, amount=Decimal("48602194.00")
    )
    PolicyMatch.objects.create(
        policy=policy,
        enterprise=world.home.enterprise,
        version=version,
        verdict=MatchVerdict.ELIGIBLE,
        amount=Decimal("123456789012300.00"),
        jurisdiction_path=world.home.park.path,
        matched_at=AT,
    )
    try:
        _migrate(BEFORE)
        assert _amounts() == {
            "promised": Decimal("10.00"),
            "approved": Decimal("4860.22"),
            "disbursed": Decimal("4860.22"),
            "event": Decimal("4860.22"),
            "match": Decimal("12345678901.23"),
        }
        _migrate(AFTER)
        assert _amounts() == {
            "promised": Decimal("100000.00"),
            "approved": Decimal("48602200.00"),
            "disbursed": Decimal("48602200.00"),
            "event": Decimal("48602200.00"),
            "match": Decimal("123456789012300.00"),
        }
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("policies"))
