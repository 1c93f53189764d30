"""Benchmark: register a year of inspections (seed 003: 971) through `register_inspection`,
with its checks — the inspectors' pool and qualification, the quiet period, the frequency caps
over the enterprise's earlier inspections — against a baseline measured in the same run: the
same rows written directly (the inspection, its inspectors, its creation event) without any
check. The ratio says what the checks cost per registration.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_inspections \\
        .venv/bin/python bench/inspection_register.py [--count 971] [--enterprises 200]

Everything is written in one transaction that is rolled back at the end, so the database is
left as it was; it still refuses a database whose name does not contain "bench".
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import percentile, setup_django  # noqa: E402


class Rollback(Exception):
    """Raised to undo the benchmark's writes."""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=971)
    parser.add_argument("--enterprises", type=int, default=200)
    args = parser.parse_args()
    if "bench" not in os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1]:
        sys.exit("Refusing: the database's name must contain 'bench'.")
    setup_django("lianqi_bench_inspections")
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from lianqi.inspections import actions
    from lianqi.inspections.choices import InspectionAction, InspectionState
    from lianqi.inspections.models import Inspection, InspectionEvent, Inspector
    from lianqi.org.models import Staff
    from lianqi.testing.world import build_world, make_enterprise

    try:
        with transaction.atomic():
            world = build_world()
            side = world.home
            enterprises = [
                make_enterprise(side.park, f"基准企业{n}有限公司") for n in range(args.enterprises)
            ]
            inspectors = [
                Inspector.objects.create(
                    jurisdiction=side.park,
                    staff=Staff.objects.create(
                        jurisdiction=side.park, name=f"执法员{n}", department=side.department
                    ),
                    department=side.department,
                    certificate_no=f"BENCH-{n:04d}",
                    qualified_until=dt.date(2030, 1, 1),
                )
                for n in range(8)
            ]
            office = world.user("service_office")
            start = dt.date(2025, 1, 1)
            rng = random.Random(3)
            plan = [
                (
                    rng.choice(enterprises),
                    start + dt.timedelta(days=rng.randrange(365)),
                    rng.sample(inspectors, 2),
                )
                for _ in range(args.count)
            ]

            def baseline(enterprise, day, team):  # type: ignore[no-untyped-def]
                row = Inspection.objects.create(
                    jurisdiction=side.park,
                    enterprise=enterprise,
                    department=side.department,
                    legal_basis="《安全生产法》",
                    task="安全生产检查",
                    trigger="plan",
                    plan_reference="计划〔2025〕1号",
                    planned_on=day,
                )
                row.inspectors.set(team)
                InspectionEvent.objects.create(
                    inspection=row,
                    jurisdiction_path=row.jurisdiction_path,
                    action=InspectionAction.CREATE,
                    to_state=InspectionState.REGISTERED,
                    at=dt.datetime.now(dt.UTC),
                )

            def checked(enterprise, day, team):  # type: ignore[no-untyped-def]
                actions.register_inspection(
                    enterprise=enterprise,
                    department=side.department,
                    legal_basis="《安全生产法》",
                    task="安全生产检查",
                    inspectors=team,
                    planned_on=day,
                    trigger="plan",
                    plan_reference="计划〔2025〕1号",
                    actor=office,
                )

            results = {}
            for name, write in (("baseline (direct writes)", baseline), ("register_inspection", checked)):
                with transaction.atomic():
                    times = []
                    for enterprise, day, team in plan:
                        began = time.perf_counter()
                        write(enterprise, day, team)
                        times.append(time.perf_counter() - began)
                    results[name] = times
                    transaction.set_rollback(True)
            raise Rollback
    except Rollback:
        pass
    base = sum(results["baseline (direct writes)"])
    for name, times in results.items():
        total = sum(times)
        print(
            f"{name:26s} {len(times)} rows  total {total:6.2f} s  "
            f"p50 {1000 * percentile(times, 50):6.2f} ms  p95 {1000 * percentile(times, 95):6.2f} ms  "
            f"×{total / base:4.2f} of baseline"
        )


if __name__ == "__main__":
    main()
