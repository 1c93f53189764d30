"""Benchmark of the department inbox and the office board on 1,000,000 demands in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_demands .venv/bin/python bench/demand_lists.py \
        [--enterprises 100000 --demands 1000000 --reps 96]

Generates the data once (`bench/demand_data.py`: deterministic seed, COPY; later runs with the
same counts reuse it), then for each of N varied requests (every tab, Chinese search, category,
overdue-only, a second page) times the page as its user requests it (the whole Django stack
through the test client, htmx table and full page) and, as the baseline, the same SQL the page
ran against the demands, replayed by hand through a bare cursor. Prints p50/p95 of each and the
ratios. Targets: page p95 <= 150 ms and <= 3x the raw SQL's p95.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import percentile, setup_django  # noqa: E402 (after the path)

TARGET_P95_MS = 150.0
TARGET_RATIO = 3.0

INBOX_QUERIES: list[dict[str, str]] = [
    {},
    {"tab": "handling"},
    {"tab": "due_soon"},
    {"tab": "overdue"},
    {"tab": "replied"},
    {"tab": "all"},
    {"tab": "all", "page": "3"},
    {"tab": "all", "q": "贷款"},
    {"tab": "handling", "q": "电力 增容"},
    {"tab": "all", "category": "{category}"},
    {"tab": "all", "overdue": "true"},
    {"tab": "all", "received_from": "{month_ago}"},
]
BOARD_QUERIES: list[dict[str, str]] = [
    {},
    {"tab": "sent_back"},
    {"tab": "overdue"},
    {"tab": "due_soon"},
    {"tab": "extension"},
    {"tab": "escalated"},
    {"tab": "replied"},
    {"tab": "supervised"},
    {"tab": "overdue", "page": "2"},
    {"tab": "received", "q": "厂房 用地"},
    {"tab": "overdue", "department": "{department}"},
    {"tab": "replied", "category": "{category}"},
]


#: The indexes this benchmark proposes for `Demand.Meta.indexes`, as PostgreSQL creates them
#: from the model (same names), so a run can measure with and without them.
PROPOSED_INDEXES = {
    "demands_lead_state_due_idx": "ON demands_demand (lead_department_id, state, due_on)",
    "demands_lead_received_idx": "ON demands_demand (lead_department_id, received_at)",
    "demands_lead_category_idx": "ON demands_demand (lead_department_id, category_id, received_at)",
    "demands_open_idx": (
        "ON demands_demand (state, due_on) INCLUDE (jurisdiction_path, lead_department_id, "
        "extension_workdays, replied_at, supervised_at, received_at, id, category_id, liaison_id, channel) "
        "WHERE state IN ('received', 'assigned', 'signed', 'handling', 'sent_back', 'replied', 'escalated')"
    ),
    "demands_search_bigrams": "ON demands_demand USING gin (lianqi_bigrams(search_text))",
    "demands_search_trgm": "ON demands_demand USING gin (search_text gin_trgm_ops)",
}


def set_indexes(wanted: str) -> None:
    """Create (`proposed`) or drop (`none`) the proposed indexes; `keep` leaves them alone."""
    from django.db import connection

    if wanted == "keep":
        return
    with connection.cursor() as cursor:
        for name, definition in PROPOSED_INDEXES.items():
            if wanted == "proposed":
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")
            else:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("VACUUM ANALYZE demands_demand")
    print(f"proposed indexes: {wanted}")


def capture(client: Any, url: str, params: dict[str, str]) -> list[str]:
    """The SQL statements a page request runs against the demand tables, as executed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in captured.captured_queries if "demands_demand" in q["sql"]]


def replay_ms(statements: list[str]) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def measure(client: Any, url: str, queries: list[dict[str, str]], reps: int) -> dict[str, Any]:
    statements = {i: capture(client, url, q) for i, q in enumerate(queries)}  # also warms up
    for i in statements:
        replay_ms(statements[i])
        client.get(url, queries[i])
    raw: list[float] = []
    fragment: list[float] = []
    full: list[float] = []
    by_query: dict[int, list[float]] = {}
    for rep in range(reps):
        index = rep % len(queries)
        params = queries[index]
        raw.append(replay_ms(statements[index]))
        started = time.perf_counter()
        response = client.get(url, params, HTTP_HX_REQUEST="true")
        fragment.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        by_query.setdefault(index, []).append(fragment[-1])
        started = time.perf_counter()
        response = client.get(url, params)
        full.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    slowest = sorted(by_query.items(), key=lambda item: -statistics.median(item[1]))[:3]
    return {
        "raw": raw,
        "fragment": fragment,
        "full": full,
        "slowest": [(queries[i], statistics.median(v)) for i, v in slowest],
        "statements": sum(len(s) for s in statements.values()) / len(statements),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=96, help="timed requests per page (>= 50)")
    parser.add_argument("--regenerate", action="store_true", help="generate even if the counts match")
    parser.add_argument(
        "--indexes",
        choices=["proposed", "none", "keep"],
        default="keep",
        help="create or drop the proposed indexes before measuring (default: leave as they are)",
    )
    args = parser.parse_args()
    if args.reps < 50:
        sys.exit("--reps must be at least 50 for a meaningful p95")
    setup_django("lianqi_bench_demands")

    import datetime as dt

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench.demand_data import generate
    from lianqi.demands.models import Category

    call_command("migrate", verbosity=0)
    world = generate(enterprises=args.enterprises, demands=args.demands, reuse=not args.regenerate)
    set_indexes(args.indexes)
    setup_test_environment()
    names = {
        "category": str(Category.objects.get(name="融资困难").pk),
        "department": str(world.department_id),
        "month_ago": (world.at_day - dt.timedelta(days=30)).isoformat(),
    }

    def fill(queries: list[dict[str, str]]) -> list[dict[str, str]]:
        return [{k: v.format(**names) for k, v in q.items()} for q in queries]

    results: dict[str, Any] = {
        "enterprises": args.enterprises,
        "demands": args.demands,
        "reps": args.reps,
        "indexes": args.indexes,
    }
    ok = True
    print(
        f"\ndemand lists, {args.demands:,} demands over {args.enterprises:,} enterprises, {args.reps} requests each"
    )
    for label, user, url, queries in (
        ("department inbox", world.handler, "/demands/inbox/", fill(INBOX_QUERIES)),
        ("office board", world.office, "/demands/board/", fill(BOARD_QUERIES)),
    ):
        client = Client()
        client.force_login(user)
        m = measure(client, url, queries, args.reps)
        raw_p95 = percentile(m["raw"], 95)
        print(
            f"\n{label} ({url}, {len(queries)} queries, {m['statements']:.1f} demand statements per request)"
        )
        for name, values in (
            ("raw SQL (same statements)", m["raw"]),
            ("htmx table", m["fragment"]),
            ("full page", m["full"]),
        ):
            print(f"  {name:<28} p50 {percentile(values, 50):7.1f} ms   p95 {percentile(values, 95):7.1f} ms")
        entry: dict[str, Any] = {"raw": {"p50": percentile(m["raw"], 50), "p95": raw_p95}}
        for name, key in (("htmx table", "fragment"), ("full page", "full")):
            p95 = percentile(m[key], 95)
            ratio = p95 / raw_p95 if raw_p95 else float("inf")
            passed = p95 <= TARGET_P95_MS and ratio <= TARGET_RATIO
            ok = ok and passed
            entry[key] = {"p50": percentile(m[key], 50), "p95": p95, "ratio": ratio}
            print(
                f"  {name:<12} p95 / raw p95 = {ratio:4.2f}x (target <= {TARGET_P95_MS:.0f} ms and "
                f"<= {TARGET_RATIO:.0f}x): {'PASS' if passed else 'FAIL'}"
            )
        for params, median in m["slowest"]:
            print(f"  slow: {median:6.1f} ms median (htmx table) for {params}")
        results[label] = entry
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"demand_lists-{args.indexes}.json").write_text(json.dumps(results, indent=2))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
