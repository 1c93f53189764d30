"""Benchmark of a year's demand statistics over 1,000,000 demands in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_stats .venv/bin/python bench/demand_statistics.py [--demands 1000000]

Generates the demands once (deterministic: every value is arithmetic on the row number, written
by INSERT … SELECT generate_series, so a rerun builds the same rows; later runs reuse them):
a park with 27 departments, 500 liaisons, 1,200 enterprises and the eleven categories, all
`--demands` received in 2025 (70 % solved on the spot, the rest assigned with a deadline,
signed, some sent back and rerouted, replied, rated or visited, some redone, 1 % legacy), and
their event history (about 3.2 events per demand); plus 5 % as many in a neighbouring park,
outside the leader's scope. Then, as the park's leader, it times `compute_statistics` for the
year — the headline, the table by department and the table by month, as the statistics page
computes them — and, in the same run, the baseline: the headline's counts as one hand-written
SQL aggregate over the same rows. Prints the medians and the ratio. Target: headline +
department + month <= 500 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django  # noqa: E402 (after the path)

TARGET_MS = 500.0
DEPARTMENTS = [
    "经济发展局", "科技局", "商务局", "自然资源局", "住建局", "财政局", "人社局", "生态环境局",
    "应急管理局", "市场监管局", "税务局", "供电公司", "水务公司", "燃气公司", "行政审批局",
    "招商合作局", "规划局", "城管局", "交通局", "公安分局", "消防救援大队", "统计局",
    "金融办", "党群工作部", "社会事务局", "综合执法局", "企业服务中心",
]  # fmt: skip


# The demands, as SQL over the row number i. `h(i, p)` is a cheap deterministic hash in [0, 1000).
DEMANDS_SQL = """
WITH params AS (
  SELECT %(first_enterprise)s::bigint AS e0, %(enterprises)s::bigint AS ne,
         %(first_staff)s::bigint AS s0, %(staff)s::bigint AS ns
), rows AS (
  SELECT i,
         (i * 7919 + 13) %% 1000 AS h1,
         (i * 104729 + 7) %% 1000 AS h2,
         (i * 1299709 + 3) %% 1000 AS h3,
         timestamptz '2025-01-01 08:30+08' + ((i %% 365) || ' days')::interval
           + (((i * 37) %% 540) || ' minutes')::interval AS received
  FROM generate_series(1::bigint, %(count)s::bigint) AS i
)
INSERT INTO demands_demand (
  created_at, updated_at, jurisdiction_id, jurisdiction_path, channel, description, state, outcome,
  solved_on_spot, received_at, assigned_at, deadline_workdays, due_on, fallback_years,
  extension_reason, send_back_reason, reply, replied_at, redo_count, contacted, solved,
  satisfaction, rating_source, rated_at, venue, meeting, is_legacy, closed_at, version,
  last_changed_at, category_id, enterprise_id, lead_department_id, liaison_id, contact_name,
  contact_phone, search_text)
SELECT received, received, %(jurisdiction)s, %(path)s, 'liaison', '诉求' || i,
  CASE WHEN h1 < 700 OR h2 < 850 THEN 'closed' WHEN h2 < 900 THEN 'handling' WHEN h2 < 950 THEN 'replied'
       ELSE 'signed' END,
  CASE WHEN h1 < 700 THEN 'solved' WHEN h2 < 850 THEN (CASE WHEN h3 < 900 THEN 'solved' ELSE 'explained' END)
       WHEN h2 < 950 AND h2 >= 900 THEN 'solved' ELSE '' END,
  h1 < 700, received,
  CASE WHEN h1 >= 700 THEN received + interval '1 hour' END,
  CASE WHEN h1 >= 700 THEN 5 END,
  CASE WHEN h1 >= 700 THEN (received + interval '7 days')::date END,
  '[]', '', CASE WHEN h1 >= 700 AND h3 < 50 THEN '不属于本部门职责' ELSE '' END, '',
  CASE WHEN h1 < 700 THEN received + interval '30 minutes'
       WHEN h2 < 850 OR h2 >= 900 AND h2 < 950 THEN received + ((2 + h3 %% 9) || ' days')::interval END,
  CASE WHEN h1 >= 700 AND h2 < 850 AND h3 %% 20 = 1 THEN 1 ELSE 0 END,
  CASE WHEN h1 >= 700 AND h2 < 850 THEN h3 %% 50 <> 0 END,
  CASE WHEN h1 >= 700 AND h2 < 850 THEN h3 < 900 END,
  CASE WHEN h1 >= 700 AND h2 < 850 THEN (CASE WHEN h3 %% 40 = 0 THEN 'unsatisfied' WHEN h3 %% 5 = 0
       THEN 'basically' ELSE 'satisfied' END) ELSE '' END,
  CASE WHEN h1 >= 700 AND h2 < 850 THEN (CASE WHEN h3 %% 3 = 0 THEN 'return_visit' ELSE 'enterprise' END)
       ELSE '' END,
  CASE WHEN h1 >= 700 AND h2 < 850 THEN received + ((3 + h3 %% 9) || ' days')::interval END,
  '', '', h1 >= 700 AND h3 %% 100 = 7,
  CASE WHEN h1 < 700 THEN received + interval '30 minutes'
       WHEN h2 < 850 THEN received + ((3 + h3 %% 9) || ' days')::interval END,
  3, received, 1 + i %% 11, e0 + i %% ne,
  CASE WHEN h1 >= 700 THEN %(first_department)s + (i * 31) %% 27 END,
  s0 + (i * 17) %% ns, '', '', ''
FROM rows, params
"""

# The events, derived from the demands just written (the same h3 as above, from the id).
EVENTS_SQL = """
INSERT INTO demands_demandevent (jurisdiction_path, action, from_state, to_state, by_enterprise,
  due_on, note, version, at, demand_id, department_id)
SELECT jurisdiction_path, action, '', to_state, false, due, '', 1, at, id, department
FROM (
  SELECT d.jurisdiction_path, d.id, d.lead_department_id AS department, d.due_on AS due, e.*
  FROM demands_demand d
  CROSS JOIN LATERAL (VALUES
    ('submit', 'received', d.received_at, true),
    ('solve_on_spot', 'closed', d.received_at + interval '30 minutes', d.solved_on_spot),
    ('assign', 'assigned', d.assigned_at, d.assigned_at IS NOT NULL),
    ('send_back', 'sent_back', d.assigned_at + interval '2 hours', d.send_back_reason <> ''),
    ('reroute', 'assigned', d.assigned_at + interval '1 day', d.send_back_reason <> ''),
    ('sign', 'signed', d.assigned_at + ((d.id %% 4) || ' days')::interval, d.assigned_at IS NOT NULL),
    ('start', 'handling', d.assigned_at + ((d.id %% 4) || ' days 1 hour')::interval, d.assigned_at IS NOT NULL),
    ('reply', 'replied', d.replied_at, d.assigned_at IS NOT NULL AND d.replied_at IS NOT NULL),
    ('rate', 'closed', d.closed_at, d.assigned_at IS NOT NULL AND d.closed_at IS NOT NULL)
  ) AS e(action, to_state, at, wanted)
  WHERE d.jurisdiction_path LIKE %(path)s
) AS x
WHERE wanted
"""


def _first_pk(model: Any, **lookup: Any) -> int:
    return int(model.objects.filter(**lookup).order_by("pk").values_list("pk", flat=True)[0])


def generate(count: int) -> Any:
    """Create (or reuse) the park, its departments, staff, enterprises and `count` demands."""
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from lianqi.accounts.models import User
    from lianqi.demands.models import Demand
    from lianqi.enterprises.models import Enterprise
    from lianqi.org.models import Department, Jurisdiction, Staff
    from lianqi.testing.world import make_enterprise

    province, _ = Jurisdiction.objects.get_or_create(
        code="430000", defaults={"name": "湖南省", "level": "province"}
    )
    city, _ = Jurisdiction.objects.get_or_create(
        code="430300", defaults={"name": "湘潭市", "level": "city", "parent": province}
    )
    park, _ = Jurisdiction.objects.get_or_create(
        code="430371", defaults={"name": "湘潭高新区", "level": "park", "parent": city}
    )
    neighbour, _ = Jurisdiction.objects.get_or_create(
        code="430372", defaults={"name": "湘潭经开区", "level": "park", "parent": city}
    )
    leader, created = User.objects.get_or_create(
        username="bench_leader", defaults={"jurisdiction": park, "display_name": "基准测试领导"}
    )
    if created:
        leader.set_password("bench-only-not-a-real-password")
        leader.save()
    leader.groups.add(Group.objects.get_or_create(name="leader")[0])
    home = Demand.objects.filter(jurisdiction_path__startswith=park.path).count()
    if home == count:
        print(f"reusing {count:,} demands already in the database")
        return leader
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE demands_demandevent, demands_demand, demands_statisticscell,"
                " demands_statisticsstaleday CASCADE"
            )
        for place in (park, neighbour):
            departments = [
                Department.objects.get_or_create(jurisdiction=place, name=name, defaults={"order": i})[0]
                for i, name in enumerate(DEPARTMENTS)
            ]
            if not Staff.objects.filter(jurisdiction=place).exists():
                Staff.objects.bulk_create(
                    Staff(
                        jurisdiction=place,
                        jurisdiction_path=place.path,
                        name=f"干部{n:03d}",
                        department=departments[n % 27],
                        phone=f"139{n:08d}",
                    )
                    for n in range(500)
                )
            while Enterprise.objects.filter(jurisdiction=place).count() < 1200:
                n = Enterprise.objects.filter(jurisdiction=place).count()
                make_enterprise(place, f"{place.name}基准企业{n:04d}有限公司")
            params: dict[str, Any] = {
                "count": count if place == park else count // 20,
                "jurisdiction": place.pk,
                "path": place.path,
                "first_enterprise": _first_pk(Enterprise, jurisdiction=place),
                "enterprises": 1200,
                "first_staff": _first_pk(Staff, jurisdiction=place),
                "staff": 500,
                "first_department": departments[0].pk,
            }
            # Departments were created in order, so their ids are consecutive.
            assert departments[-1].pk == departments[0].pk + 26
            with connection.cursor() as cursor:
                cursor.execute(DEMANDS_SQL, params)
                cursor.execute(EVENTS_SQL, {"path": place.path + "%"})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE demands_demand")
        cursor.execute("VACUUM ANALYZE demands_demandevent")
    print(
        f"generated {count:,} demands (+{count // 20:,} next door) in {time.perf_counter() - started:.1f} s"
    )
    return leader


BASELINE_SQL = """
SELECT count(*), count(*) FILTER (WHERE solved_on_spot), count(*) FILTER (WHERE closed_at <= %(at)s),
  count(*) FILTER (WHERE closed_at <= %(at)s AND due_on IS NOT NULL),
  count(*) FILTER (WHERE rating_source <> ''), count(*) FILTER (WHERE rating_source <> '' AND redo_count > 0),
  count(*) FILTER (WHERE rating_source <> '' AND contacted), count(*) FILTER (WHERE rating_source <> '' AND solved),
  count(*) FILTER (WHERE rating_source <> '' AND satisfaction IN ('satisfied', 'basically')),
  count(*) FILTER (WHERE is_legacy), count(*) FILTER (WHERE is_legacy AND closed_at <= %(at)s)
FROM demands_demand
WHERE jurisdiction_path LIKE %(path)s AND received_at >= %(start)s AND received_at < %(end)s
"""


def build_cells() -> float | None:
    """Build the day cells of demands written by SQL (not through the actions), once; returns
    the seconds it took, or None when they were already built."""
    from lianqi.demands import statistics
    from lianqi.demands.models import StatisticsCell, StatisticsStaleDay

    if StatisticsCell.objects.exists() and not StatisticsStaleDay.objects.exists():
        return None
    started = time.perf_counter()
    if not StatisticsStaleDay.objects.exists():
        statistics.mark_all_stale()
    statistics.refresh()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django("lianqi_bench_stats")
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from lianqi.demands import permissions
    from lianqi.demands import statistics as stats
    from lianqi.demands.models import Demand

    call_command("migrate", verbosity=0)
    leader = generate(args.demands)
    with connection.cursor() as cursor:
        # An index an earlier version of this benchmark made: the planner scanned past it.
        cursor.execute("DROP INDEX IF EXISTS demands_event_stats_idx")
    built = build_cells()
    if built is not None:
        print(f"built the day cells of {Demand.objects.count():,} demands in {built:.1f} s (once)")
    # The page judges the figures now; so do the comparisons.
    at = timezone.now()
    period = stats.Period.year(2025)
    path = leader.jurisdiction.path
    # One demand of the park, to mark its day stale as any step on it does.
    stepped = Demand.objects.filter(jurisdiction_path__startswith=path).order_by("pk").first()
    assert stepped is not None

    def page(group_by: str) -> stats.Statistics:
        """What the statistics page computes for the park's leader: refresh the stale days of
        the scope, then add up the cells (headline, the table and the months)."""
        scope = stats.statistics_scope(leader, {"period": period, "group_by": group_by})
        assert scope.cells is not None
        return stats.statistics_for(scope, at=timezone.now())

    def ours() -> dict[str, float]:
        timings = {}
        for group_by in ("department", "liaison", "category", "month"):
            started = time.perf_counter()
            result = page(group_by)
            timings[f"page, by {group_by}"] = (time.perf_counter() - started) * 1000
        assert len(result.months) == 12
        ours.headline = result  # type: ignore[attr-defined]
        # A step on a demand of the year marks its day; the next page read recounts that day.
        stats.mark_stale(stepped)
        started = time.perf_counter()
        page("department")
        timings["page, by department, after a step"] = (time.perf_counter() - started) * 1000
        # The same figures counted from the demands, as a department's or category's page is.
        queryset = stats.filter_demands(permissions.visible(leader), period=period)
        started = time.perf_counter()
        ours.live = stats.compute_statistics(queryset, group_by="department", at=at)  # type: ignore[attr-defined]
        timings["counted from the demands, by department"] = (time.perf_counter() - started) * 1000
        return timings

    def baseline() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                BASELINE_SQL, {"at": at, "path": path + "%", "start": period.start, "end": period.end}
            )
            ours.raw = cursor.fetchone()  # type: ignore[attr-defined]
        return (time.perf_counter() - started) * 1000

    ours()
    baseline()  # warm both
    runs: dict[str, list[float]] = {}
    raw: list[float] = []
    for _ in range(args.repeat):
        for name, ms in ours().items():
            runs.setdefault(name, []).append(ms)
        raw.append(baseline())
    headline = ours.headline.total.figures  # type: ignore[attr-defined]
    live = ours.live.total.figures  # type: ignore[attr-defined]
    assert headline["received"].value == ours.raw[0], (headline["received"].value, ours.raw[0])  # type: ignore[attr-defined]
    assert {k: f.display for k, f in headline.items()} == {k: f.display for k, f in live.items()}
    base = statistics.median(raw)
    print(f"\n{args.demands:,} demands received in 2025 in the leader's park; median of {args.repeat} runs")
    print(f"{'measure':<48}{'median ms':>10}{'best ms':>10}{'÷ baseline':>12}")
    print(f"{'baseline: raw SQL headline counts':<48}{base:>10.1f}{min(raw):>10.1f}{1:>11.2f}×")
    for name, values in runs.items():
        median = statistics.median(values)
        print(f"{name:<48}{median:>10.1f}{min(values):>10.1f}{median / base:>11.2f}×")
    worst = max(statistics.median(v) for k, v in runs.items() if k.startswith("page"))
    print(
        f"\ntarget: a year's statistics page <= {TARGET_MS:.0f} ms: {'met' if worst <= TARGET_MS else 'NOT met'}"
    )
    print("headline (the same counted from the demands):", {k: f.display for k, f in headline.items()})


if __name__ == "__main__":
    main()
