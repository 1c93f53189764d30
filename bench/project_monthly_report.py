"""Benchmark of the key projects' monthly report (项目月报) as a Word document, in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_projects .venv/bin/python bench/project_monthly_report.py [--projects 2000]

Reuses the portfolio benchmark's park (`bench/project_portfolio.py`: `--projects` key projects,
each with five milestones and five years of monthly reports; generated once). Then, as the park's
leader, through the Django test client (the whole stack):

- the current month's report downloaded as .docx (`/projects/dashboard/report/`: the dashboard's
  figures up to the month, investment month by month, completion by leader and kind with their
  charts drawn as pictures, every slipped project with its days of slippage, the open decisions
  and the problems referred), and the same report as PDF (`?format=pdf`), against a baseline in
  the same run: the portfolio dashboard page, whose queries the report reuses — target ≤ 5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import percentile, setup_django  # noqa: E402 (after the path)
from bench.project_portfolio import generate, timed  # noqa: E402

REPORT_TARGET_MS = 5000.0
RUNS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    args = parser.parse_args()
    setup_django("lianqi_bench_projects")
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    leader = generate(args.projects, today)
    client = Client()
    client.force_login(leader)
    month = {"year": today.year, "month": today.month}
    sizes = []

    def dashboard() -> None:
        response = client.get("/projects/dashboard/", HTTP_HOST="localhost")
        assert response.status_code == 200, response.status_code

    def report() -> None:
        response = client.get("/projects/dashboard/report/", month, HTTP_HOST="localhost")
        assert response.status_code == 200, response.status_code
        sizes.append(len(response.content))

    def pdf() -> None:
        response = client.get(
            "/projects/dashboard/report/", {**month, "format": "pdf"}, HTTP_HOST="localhost"
        )
        assert response.status_code == 200, response.status_code
        pdf_sizes.append(len(response.content))

    pdf_sizes: list[int] = []
    base, document, printed = timed(dashboard, RUNS), timed(report, RUNS), timed(pdf, RUNS)
    print("| measure | median | p95 | × baseline |\n|---|---|---|---|")
    print(
        f"| baseline: the portfolio dashboard page | {statistics.median(base):.1f} ms | {percentile(base, 95):.1f} ms | |"
    )
    ratio = statistics.median(document) / statistics.median(base)
    print(
        f"| monthly report .docx ({sizes[-1] / 1024:.0f} KB), {args.projects:,} projects | {statistics.median(document):.1f} ms | {percentile(document, 95):.1f} ms | {ratio:.1f}× |"
    )
    ratio = statistics.median(printed) / statistics.median(base)
    print(
        f"| monthly report PDF ({pdf_sizes[-1] / 1024:.0f} KB), {args.projects:,} projects | {statistics.median(printed):.1f} ms | {percentile(printed, 95):.1f} ms | {ratio:.1f}× |"
    )
    for name, times in (("Word", document), ("PDF", printed)):
        verdict = "met" if percentile(times, 95) <= REPORT_TARGET_MS else "MISSED"
        print(f"{name}: target p95 ≤ {REPORT_TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
