"""Benchmark of a year's inspection statistics over 2,000,000 past inspections of 100,000
enterprises in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_inspections .venv/bin/python \\
        bench/inspection_statistics.py [--enterprises 100000] [--inspections 2000000] [--repeat 7]

Generates the rows once (deterministic: every value is arithmetic on the row number, written by
INSERT … SELECT generate_series, so a rerun builds the same rows; later runs reuse them): a park
with 27 departments and `--enterprises` enterprises, `--inspections` inspections planned over
the ten years 2016–2025 (one in twenty in a neighbouring park, outside the leader's scope; most
closed after a check-in, a few cancelled, a fifth in joint visits, one in a hundred over a
frequency cap, three in ten of the closed ones rated; of the closed ones 8 % ordered to
rectify within 14 days — most rectified, some late, some escalated, some still open — and 3 %
penalised). Then, as the park's leader, it times
`queries.inspection_statistics` for 2025 — every read of the statistics page: the table by
department and by month, last year's count, the distribution over the register, the reports of
unregistered entries — and, in the same run, the baseline: the department table's counts, last
year's count and the distribution as hand-written SQL over the same rows. Prints the medians and the ratio. Target: the
page's reads <= 500 ms. The generated rows are written past the actions, so their day cells
(`inspections.cells`) are built once from them (printed apart, as an import would); the page
then adds up the cells of the year and groups only the year's inspections by enterprise for the
distribution.
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
YEAR = 2025
DEPARTMENTS = [
    "经济发展局", "科技局", "商务局", "自然资源局", "住建局", "财政局", "人社局", "生态环境局",
    "应急管理局", "市场监管局", "税务局", "供电公司", "水务公司", "燃气公司", "行政审批局",
    "招商合作局", "规划局", "城管局", "交通局", "公安分局", "消防救援大队", "统计局",
    "金融办", "党群工作部", "社会事务局", "综合执法局", "企业服务中心",
]  # fmt: skip

ENTERPRISES_SQL = """
INSERT INTO enterprises_enterprise (created_at, updated_at, jurisdiction_id, jurisdiction_path,
  credit_code, name, kind, status, legal_representative, address, code_token, search_text, industry_id)
SELECT now(), now(), %(jurisdiction)s, %(path)s, 'B' || lpad(i::text, 17, '0'), '基准企业' || i || '有限公司',
  'above_size', CASE WHEN i %% 50 = 0 THEN 'moved_out' ELSE 'active' END, '', '', 'bench' || i, '', %(industry)s
FROM generate_series(1::bigint, %(count)s::bigint) AS i
"""

JOINT_SQL = """
INSERT INTO inspections_jointvisit (created_at, updated_at, jurisdiction_id, jurisdiction_path, planned_on,
  enterprise_id, lead_department_id)
SELECT now(), now(), %(jurisdiction)s, %(path)s, date '2016-01-01' + (i %% 3652)::int, %(e0)s + i %% %(ne)s,
  %(d0)s + i %% 27
FROM generate_series(1::bigint, %(count)s::bigint) AS i
"""

# The inspections, as SQL over the row number i; h1..h3 are cheap deterministic hashes in [0, 1000).
INSPECTIONS_SQL = """
WITH rows AS (
  SELECT i, (i * 7919 + 13) %% 1000 AS h1, (i * 104729 + 7) %% 1000 AS h2, (i * 1299709 + 3) %% 1000 AS h3,
         date '2016-01-01' + ((i * 37) %% 3652)::int AS planned
  FROM generate_series(1::bigint, %(count)s::bigint) AS i
)
INSERT INTO inspections_inspection (created_at, updated_at, jurisdiction_id, jurisdiction_path, legal_basis, task,
  trigger, plan_reference, trigger_note, planned_on, code, cap_warnings, checked_in_at, result, state, version,
  department_id, enterprise_id, joint_visit_id, finding, rectification_days, rectification_due_on, rectified_on,
  follow_up, exception_reason, visit_kind)
SELECT planned - ((1 + h3 %% 10) || ' days')::interval + time '08:00' + (CASE WHEN h2 < 20 THEN interval '20 days' ELSE interval '0' END),
  planned, CASE WHEN i %% 20 = 19 THEN %(neighbour)s ELSE %(jurisdiction)s END,
  CASE WHEN i %% 20 = 19 THEN %(neighbour_path)s ELSE %(path)s END, '《安全生产法》', '安全生产检查',
  CASE WHEN h1 < 600 THEN 'plan' WHEN h1 < 800 THEN 'draw' ELSE 'complaint' END,
  CASE WHEN h1 < 600 THEN '计划〔' || extract(year FROM planned) || '〕1号' ELSE '' END, '', planned, 'B' || i,
  CASE WHEN h3 < 10 THEN '["同一个月内已登记 3 次检查"]' ELSE '[]' END::jsonb,
  CASE WHEN h2 < 950 THEN planned + time '09:30' END,
  CASE WHEN h2 < 930 THEN '未发现问题' ELSE '' END,
  CASE WHEN h2 < 930 THEN 'closed' WHEN h2 < 950 THEN 'checked_in' WHEN h2 < 970 THEN 'cancelled' ELSE 'registered' END,
  1, %(d0)s + i %% 27, %(e0)s + (i * 7919) %% %(ne)s,
  CASE WHEN h1 < 200 THEN %(j0)s + i %% %(nj)s END,
  CASE WHEN h2 >= 930 THEN '' WHEN h3 < 80 THEN 'rectification' WHEN h3 < 110 THEN 'penalty' ELSE 'no_problem' END,
  CASE WHEN h2 < 930 AND h3 < 80 THEN 10 END,
  CASE WHEN h2 < 930 AND h3 < 80 THEN planned + 14 END,
  CASE WHEN h2 < 930 AND h3 < 60 THEN planned + (7 + h1 %% 10)::int END,
  CASE WHEN h2 < 930 AND h3 < 60 THEN 'rectified' WHEN h2 < 930 AND h3 < 70 THEN 'escalated' ELSE '' END,
  '', CASE WHEN h1 %% 10 = 0 THEN 'service' ELSE 'enforcement' END
FROM rows
"""

RATINGS_SQL = """
INSERT INTO inspections_rating (inspection_id, score, comment, rated_at)
SELECT id, 2 + (id / 10) %% 4, '', checked_in_at + interval '1 day'
FROM inspections_inspection WHERE state = 'closed' AND id %% 10 < 3
"""

# The page's figures written by hand: the department table's counts, last year's count and the
# distribution over enterprises — what the page costs at the least.
BASELINE_SQL = """
SELECT i.department_id, count(*), count(*) FILTER (WHERE state = 'closed'),
  count(*) FILTER (WHERE joint_visit_id IS NOT NULL), count(*) FILTER (WHERE checked_in_at IS NOT NULL),
  count(*) FILTER (WHERE checked_in_at > i.created_at), count(*) FILTER (WHERE cap_warnings <> '[]'::jsonb),
  count(r.id), sum(r.score)
FROM inspections_inspection i LEFT JOIN inspections_rating r ON r.inspection_id = i.id
WHERE i.jurisdiction_path LIKE %(path)s AND planned_on BETWEEN %(start)s AND %(end)s AND state <> 'cancelled'
GROUP BY i.department_id
"""
BASELINE_LAST_YEAR_SQL = """
SELECT count(*) FROM inspections_inspection
WHERE jurisdiction_path LIKE %(path)s AND planned_on BETWEEN %(last_start)s AND %(last_end)s AND state <> 'cancelled'
"""
BASELINE_DISTRIBUTION_SQL = """
SELECT least(n, 4), count(*) FROM (
  SELECT enterprise_id, count(*) AS n FROM inspections_inspection
  WHERE jurisdiction_path LIKE %(path)s AND planned_on BETWEEN %(start)s AND %(end)s AND state <> 'cancelled'
  GROUP BY enterprise_id) AS per_enterprise
GROUP BY 1
"""


def _first_id(cursor: Any, table: str) -> int:
    cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
    return int(cursor.fetchone()[0])


def generate(enterprises: int, inspections: int) -> Any:
    """Create (or reuse) the park, its departments and leader, the enterprises and inspections."""
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from lianqi.accounts.models import User
    from lianqi.inspections.models import Inspection
    from lianqi.org.models import Department, Jurisdiction
    from lianqi.testing.world import ensure_industries

    province, _ = Jurisdiction.objects.get_or_create(
        code="430000", defaults={"name": "湖南省", "level": "province"}
    )
    city, _ = Jurisdiction.objects.get_or_create(
        code="431300", defaults={"name": "娄底市", "level": "city", "parent": province}
    )
    park, _ = Jurisdiction.objects.get_or_create(
        code="431301", defaults={"name": "娄底经开区", "level": "park", "parent": city}
    )
    neighbour, _ = Jurisdiction.objects.get_or_create(
        code="431302", defaults={"name": "娄底高新区", "level": "park", "parent": city}
    )
    leader, _created = User.objects.get_or_create(
        username="bench_inspection_leader", defaults={"jurisdiction": park}
    )
    leader.groups.add(Group.objects.get_or_create(name="leader")[0])
    if Inspection.objects.count() == inspections:
        return leader
    started = time.perf_counter()
    industry = ensure_industries().pk
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE inspections_rating, inspections_inspection_inspectors, inspections_inspectionevent, "
            "inspections_inspection, inspections_jointvisit CASCADE"
        )
        departments = [
            Department.objects.get_or_create(jurisdiction=park, name=name, defaults={"order": n})[0]
            for n, name in enumerate(DEPARTMENTS)
        ]
        d0 = departments[0].pk
        assert [d.pk for d in departments] == list(range(d0, d0 + 27)), "departments are not consecutive"
        cursor.execute("DELETE FROM enterprises_enterprise WHERE code_token LIKE %s", ["bench%"])
        e0 = _first_id(cursor, "enterprises_enterprise") + 1
        place = {"jurisdiction": park.pk, "path": park.path}
        cursor.execute(ENTERPRISES_SQL, {**place, "count": enterprises, "industry": industry})
        joints = max(inspections // 10, 1)
        j0 = _first_id(cursor, "inspections_jointvisit") + 1
        cursor.execute(JOINT_SQL, {**place, "count": joints, "e0": e0, "ne": enterprises, "d0": d0})
        cursor.execute(
            INSPECTIONS_SQL,
            {
                **place,
                "neighbour": neighbour.pk,
                "neighbour_path": neighbour.path,
                "count": inspections,
                "d0": d0,
                "e0": e0,
                "ne": enterprises,
                "j0": j0,
                "nj": joints,
            },
        )
        cursor.execute(RATINGS_SQL, {})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generated {enterprises:,} enterprises and {inspections:,} inspections in {time.perf_counter() - started:.0f} s"
    )
    return leader


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--inspections", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django("lianqi_bench_inspections")
    from django.core.management import call_command
    from django.db import connection

    from lianqi.core.registry import Period
    from lianqi.inspections import cells, queries
    from lianqi.inspections.models import StatisticsCell

    call_command("migrate", verbosity=0)
    leader = generate(args.enterprises, args.inspections)
    if not StatisticsCell.objects.exists():
        # The generated rows were written past the actions: their day cells are built once.
        started = time.perf_counter()
        marked = cells.mark_all_stale()
        days = cells.refresh()
        print(f"day cells built: {marked:,} marks, {days:,} days in {time.perf_counter() - started:.1f} s")
    print(f"{StatisticsCell.objects.count():,} day cells")
    period = Period.year(YEAR)
    path = leader.jurisdiction.path

    def ours() -> queries.InspectionStatistics:
        return queries.inspection_statistics(leader, YEAR)

    def baseline() -> list[Any]:
        params = {
            "path": f"{path}%",
            "start": period.start,
            "end": period.end,
            "last_start": period.start.replace(year=YEAR - 1),
            "last_end": period.end.replace(year=YEAR - 1),
        }
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_LAST_YEAR_SQL, params)
            cursor.execute(BASELINE_DISTRIBUTION_SQL, params)
            cursor.execute(BASELINE_SQL, params)
            return cursor.fetchall()

    ours()
    baseline()  # warm both
    page: list[float] = []
    raw: list[float] = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = ours()
        page.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        rows = baseline()
        raw.append((time.perf_counter() - started) * 1000)
    assert result.total.figures["inspections"].value == sum(row[1] for row in rows)
    base, median = statistics.median(raw), statistics.median(page)
    print(
        f"\n{args.inspections:,} inspections of {args.enterprises:,} enterprises; {YEAR} in the leader's park"
    )
    print(f"median of {args.repeat} runs")
    print(f"{'measure':<44}{'median ms':>10}{'best ms':>10}{'÷ baseline':>12}")
    print(f"{'baseline: the same reads in raw SQL':<44}{base:>10.1f}{min(raw):>10.1f}{1:>11.2f}×")
    print(
        f"{'statistics page reads (all of them)':<44}{median:>10.1f}{min(page):>10.1f}{median / base:>11.2f}×"
    )
    verdict = "met" if median <= TARGET_MS else "MISSED"
    print(f"target <= {TARGET_MS:.0f} ms: {verdict}")
    print("total:", {k: f.display for k, f in result.total.figures.items()})
    print(
        "headline:", {k: f.display for k, f in result.headline.items()}, "distribution:", result.distribution
    )


if __name__ == "__main__":
    main()
