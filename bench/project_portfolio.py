"""Benchmark of the key projects' portfolio dashboard, in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_projects .venv/bin/python bench/project_portfolio.py [--projects 2000]

Generates once (deterministic: amounts are arithmetic on the project's number; later runs reuse
them) a park with `--projects` key projects, each with five milestones and five years of monthly
reports (60 a project: 120,000 at 2,000 projects). Then, as the park's leader, through the Django
test client (the whole stack):

- the portfolio dashboard (`/projects/dashboard/`: completion by project, leader and kind, the
  stage distribution, slipped projects, open decisions), against a baseline in the same run: the
  year's investment per project summed by raw SQL — target ≤ 500 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import percentile, setup_django  # noqa: E402 (after the path)

DASHBOARD_TARGET_MS = 500.0
YEARS = 5
RUNS = 15


def generate(projects: int, today: dt.date) -> Any:
    """Create (or reuse) the park, its leader, departments and `projects` projects with their
    milestones and reports; returns the leader."""
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from lianqi.accounts.models import User
    from lianqi.org.models import Department, Jurisdiction
    from lianqi.projects.choices import ProjectKind, ProjectLevel, ProjectStage
    from lianqi.projects.models import Milestone, ProgressReport, Project

    province, _ = Jurisdiction.objects.get_or_create(
        code="430000", defaults={"name": "湖南省", "level": "province"}
    )
    city, _ = Jurisdiction.objects.get_or_create(
        code="430300", defaults={"name": "湘潭市", "level": "city", "parent": province}
    )
    park, _ = Jurisdiction.objects.get_or_create(
        code="430371", defaults={"name": "湘潭高新区", "level": "park", "parent": city}
    )
    leader, created = User.objects.get_or_create(
        username="bench_leader", defaults={"jurisdiction": park, "display_name": "基准测试领导"}
    )
    if created:
        leader.set_password("bench-only-not-a-real-password")
        leader.save()
    leader.groups.add(Group.objects.get_or_create(name="leader")[0])
    if Project.objects.filter(jurisdiction=park, name__startswith="基准项目").count() == projects:
        print(f"reusing {projects:,} projects already in the database")
        return leader
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE projects_progressreport, projects_milestone, projects_project CASCADE")
        department, _ = Department.objects.get_or_create(jurisdiction=park, name="经济发展局")
        kinds, levels, stages = list(ProjectKind), list(ProjectLevel), list(ProjectStage)
        rows = []
        for n in range(projects):
            plan = Decimal(50_000_000 + (n * 7919) % 200_000_000) + Decimal(n % 100) / 100
            rows.append(
                Project(
                    jurisdiction=park,
                    jurisdiction_path=park.path,
                    name=f"基准项目{n:05d}",
                    owner_name=f"基准项目公司{n:05d}",
                    kind=kinds[n % len(kinds)],
                    level=levels[n % len(levels)],
                    total_investment=plan * 3,
                    plan_year=today.year,
                    year_plan=plan,
                    leader=f"领导{n % 12:02d}",
                    department=department,
                    state=stages[n % len(stages)],
                    signed_on=dt.date(today.year - YEARS, 1, 1),
                )
            )
        Project.objects.bulk_create(rows, batch_size=1000)
        milestones, reports = [], []
        for n, project in enumerate(rows):
            for step in range(5):
                start = dt.date(today.year, 1, 10) + dt.timedelta(days=60 * step)
                end = start + dt.timedelta(days=50)
                finished = end < today and (n + step) % 7 != 0
                milestones.append(
                    Milestone(
                        project=project,
                        name=f"节点{step}",
                        planned_start=start,
                        planned_end=end,
                        actual_start=start if start < today else None,
                        actual_end=end if finished else None,
                    )
                )
            for year in range(today.year - YEARS + 1, today.year + 1):
                for month in range(1, 13):
                    if dt.date(year, month, 1) > today:
                        break
                    invested = (project.year_plan / 12 * Decimal(0.8 + (n + month) % 5 / 10)).quantize(
                        Decimal("0.01")
                    )
                    reports.append(
                        ProgressReport(
                            project=project,
                            period=dt.date(year, month, 1),
                            invested=invested,
                            year_to_date=invested * month,
                            progress="按计划推进",
                        )
                    )
        Milestone.objects.bulk_create(milestones, batch_size=5000)
        ProgressReport.objects.bulk_create(reports, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE projects_project; ANALYZE projects_progressreport; ANALYZE projects_milestone"
        )
    print(
        f"generated {projects:,} projects, {len(reports):,} reports in {time.perf_counter() - started:.1f} s"
    )
    return leader


def timed(call: Any, runs: int = RUNS) -> list[float]:
    call()  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    args = parser.parse_args()
    setup_django("lianqi_bench_projects")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    leader = generate(args.projects, today)
    client = Client()
    client.force_login(leader)

    def dashboard() -> None:
        response = client.get("/projects/dashboard/", HTTP_HOST="localhost")
        assert response.status_code == 200, response.status_code

    def baseline() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.project_id, SUM(r.invested) FROM projects_progressreport r "
                "JOIN projects_project p ON p.id = r.project_id "
                "WHERE EXTRACT(YEAR FROM r.period) = p.plan_year GROUP BY r.project_id"
            )
            cursor.fetchall()

    base, page = timed(baseline), timed(dashboard)
    print("| measure | median | p95 | × baseline |\n|---|---|---|---|")
    print(
        f"| baseline: the year's investment per project, raw SQL | {statistics.median(base):.1f} ms | {percentile(base, 95):.1f} ms | |"
    )
    ratio = statistics.median(page) / statistics.median(base)
    print(
        f"| portfolio dashboard, {args.projects:,} projects | {statistics.median(page):.1f} ms | {percentile(page, 95):.1f} ms | {ratio:.1f}× |"
    )
    verdict = "met" if percentile(page, 95) <= DASHBOARD_TARGET_MS else "MISSED"
    print(f"target p95 ≤ {DASHBOARD_TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
