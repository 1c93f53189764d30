"""Two people press their button on the same demand at the same moment, through the API, fifty
times over: on SQLite (a database file with the project's options: WAL, IMMEDIATE transactions,
busy timeout) and on PostgreSQL. Every time exactly one step goes through and the other client
gets a clear 409 `stale` telling who changed the demand: never a 500, never "database is
locked", never both.

The clients run in their own process (`race_clients`), two threads with a connection each, so
the transactions are really concurrent; on SQLite the in-memory test database is first copied
to a file, as the deployed site would have it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from lianqi.core.roles import Role
from lianqi.testing.processes import database_url_for_processes, process_env

from ..choices import DemandState
from ..models import Category, Demand, DemandEvent
from .factories import handler, make_demand

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[3]
ROUNDS = 50


def test_two_clients_racing_on_one_demand_get_one_success_and_one_409(world: Any, tmp_path: Path) -> None:
    # A transactional test starts from flushed tables: the seeded category is gone.
    Category.objects.get_or_create(name="融资困难")
    lead = handler(world.home)
    office = world.user(Role.SERVICE_OFFICE)
    demands = [make_demand(world, DemandState.ASSIGNED) for _ in range(ROUNDS)]
    plan = {
        "demands": [{"pk": d.pk, "version": d.version} for d in demands],
        "contenders": [
            {"action": "sign", "token": Token.objects.create(user=lead).key, "data": {}},
            {
                "action": "withdraw",
                "token": Token.objects.create(user=office).key,
                "data": {"note": "企业已自行解决，申请撤回"},
            },
        ],
    }
    url = database_url_for_processes(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "lianqi.demands.tests.race_clients"],
        cwd=REPO,
        env=process_env(tmp_path, url, "config.settings.test", LIANQI_ALLOWED_HOSTS="testserver"),
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    rounds = json.loads(done.stdout.strip().splitlines()[-1])

    assert len(rounds) == ROUNDS
    for results in rounds:
        # A 500 ("database is locked" …) arrives as status None with the exception.
        assert Counter(r["status"] for r in results) == Counter({200: 1, 409: 1}), results
        (loser,) = [r for r in results if r["status"] == 409]
        assert loser["code"] == "stale", results
        # The loser is told who changed the demand.
        assert loser["message"], results
    if url.startswith("postgres"):
        # Same database: the rows show one step per demand, the winner's.
        for demand, results in zip(demands, rounds, strict=True):
            (winner,) = [r["action"] for r in results if r["status"] == 200]
            current = Demand.objects.get(pk=demand.pk)
            assert current.version == demand.version + 1
            assert current.state == (DemandState.SIGNED if winner == "sign" else DemandState.CLOSED)
            assert DemandEvent.objects.filter(demand=demand, version__gt=demand.version).count() == 1
