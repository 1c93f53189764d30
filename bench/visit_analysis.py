"""Benchmark of a campaign's analysis, its Excel export and saving one visit, in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_visits .venv/bin/python bench/visit_analysis.py [--forms 10000]

Generates once (deterministic: every answer is arithmetic on the form's number; later runs
reuse them) a park with 500 liaisons and 2,000 enterprises, a questionnaire of 40 questions
(12 single and 6 multiple choice, 8 yes/no of which two raise a demand, 6 numbers, 2 dates,
3 texts, 3 rating matrices of 4 rows) and an open campaign with `--forms` forms answering it.
Then, as the park's service office, through the Django test client (the whole stack):

- the analysis page (per-question statistics, coverage, demands, liaisons behind), against two
  baselines in the same run: reading the campaign's answers by raw SQL, and the choice counts
  aggregated in SQL (`jsonb_each_text` … GROUP BY) — target ≤ 1 s;
- the Excel export (one row per form, one column per question; every matrix row a column),
  against reading its rows by raw SQL — target ≤ 10 s;
- saving one visit with 40 answers that raise two demands (`record_visit`, the demands filed
  through the intake action), against a bare INSERT of the same rows (the visit, the two
  demands, their links) — target p95 ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import percentile, setup_django  # noqa: E402 (after the path)

PAGE_TARGET_MS = 1000.0
EXPORT_TARGET_MS = 10_000.0
SAVE_TARGET_MS = 150.0
OPTIONS = ["很好", "较好", "一般", "较差", "很差"]
ROWS = ["政务服务", "要素保障", "市场环境", "法治环境"]
COLUMNS = ["满意", "基本满意", "不满意"]


def definition() -> dict[str, Any]:
    """The 40 questions, in four sections of ten."""
    questions: list[dict[str, Any]] = []
    for n in range(12):
        questions.append(
            {"key": f"s{n}", "type": "single", "text": f"单选题{n}", "options": OPTIONS, "required": True}
        )
    for n in range(6):
        questions.append({"key": f"m{n}", "type": "multiple", "text": f"多选题{n}", "options": OPTIONS})
    for n in range(8):
        question: dict[str, Any] = {"key": f"y{n}", "type": "yes_no", "text": f"是否题{n}", "required": True}
        if n < 2:
            question["raises"] = [{"answer": "是", "category": ["融资困难", "用工招聘"][n]}]
        questions.append(question)
    for n in range(6):
        questions.append({"key": f"n{n}", "type": "number", "text": f"数字题{n}", "unit": "万元", "min": 0})
    for n in range(2):
        questions.append({"key": f"d{n}", "type": "date", "text": f"日期题{n}"})
    for n in range(3):
        questions.append({"key": f"t{n}", "type": "text", "text": f"意见建议{n}"})
    for n in range(3):
        questions.append(
            {"key": f"x{n}", "type": "matrix", "text": f"满意度{n}", "rows": ROWS, "columns": COLUMNS}
        )
    assert len(questions) == 40
    return {
        "sections": [
            {"title": f"第{s + 1}部分", "questions": questions[s * 10 : s * 10 + 10]} for s in range(4)
        ]
    }


def answers(i: int, raise_demands: bool = False) -> dict[str, Any]:
    """Form `i`'s answers (a cheap deterministic hash of i picks each)."""
    h = [(i * p + k) % 1000 for k, p in enumerate((7919, 104729, 1299709, 15485863, 32452843, 49979687))]
    values: dict[str, Any] = {}
    for n in range(12):
        values[f"s{n}"] = OPTIONS[(h[n % 6] + n) % 5]
    for n in range(6):
        values[f"m{n}"] = [o for k, o in enumerate(OPTIONS) if (h[n] >> k) & 1] or [OPTIONS[0]]
    for n in range(8):
        values[f"y{n}"] = (
            "yes"
            if (raise_demands and n < 2) or (not raise_demands and n >= 2 and h[n % 6] % 3 == 0)
            else "no"
        )
    for n in range(6):
        values[f"n{n}"] = f"{h[n] * (n + 1)}.{h[(n + 1) % 6] % 100:02d}"
    for n in range(2):
        values[f"d{n}"] = f"20{10 + h[n] % 15}-{1 + h[n + 1] % 12:02d}-{1 + h[n + 2] % 28:02d}"
    for n in range(3):
        values[f"t{n}"] = f"希望在{OPTIONS[h[n] % 5]}方面加强服务，第{i}家企业的建议"
    for n in range(3):
        values[f"x{n}"] = {row: COLUMNS[(h[(n + k) % 6] + k) % 3] for k, row in enumerate(ROWS)}
    return values


def generate(forms: int) -> tuple[Any, Any]:
    """Create (or reuse) the park, its office user, liaisons, enterprises, the campaign and its
    `forms` forms; returns (office user, campaign)."""
    import datetime as dt

    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from lianqi.accounts.models import User
    from lianqi.enterprises.models import Enterprise
    from lianqi.org.models import Jurisdiction, Staff
    from lianqi.testing.world import make_enterprise
    from lianqi.visits.models import Campaign, Questionnaire, QuestionnaireVersion, Visit

    province, _ = Jurisdiction.objects.get_or_create(
        code="430000", defaults={"name": "湖南省", "level": "province"}
    )
    city, _ = Jurisdiction.objects.get_or_create(
        code="430300", defaults={"name": "湘潭市", "level": "city", "parent": province}
    )
    park, _ = Jurisdiction.objects.get_or_create(
        code="430371", defaults={"name": "湘潭高新区", "level": "park", "parent": city}
    )
    office, created = User.objects.get_or_create(
        username="bench_office", defaults={"jurisdiction": park, "display_name": "基准测试营商办"}
    )
    if created:
        office.set_password("bench-only-not-a-real-password")
        office.save()
    office.groups.add(Group.objects.get_or_create(name="service_office")[0])
    campaign = Campaign.objects.filter(jurisdiction=park, title="基准走访活动").first()
    if (
        campaign is not None
        and Visit.objects.filter(campaign=campaign, idempotency_key__startswith="bench-").count() == forms
    ):
        print(f"reusing {forms:,} forms already in the database")
        return office, campaign
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE visits_raiseddemand, visits_visitfile, visits_visit CASCADE")
        if not Staff.objects.filter(jurisdiction=park).exists():
            Staff.objects.bulk_create(
                Staff(
                    jurisdiction=park, jurisdiction_path=park.path, name=f"干部{n:03d}", phone=f"139{n:08d}"
                )
                for n in range(500)
            )
        staff = list(Staff.objects.filter(jurisdiction=park).order_by("pk"))
        while Enterprise.objects.filter(jurisdiction=park).count() < 2000:
            n = Enterprise.objects.filter(jurisdiction=park).count()
            make_enterprise(park, f"湘潭基准企业{n:04d}有限公司", liaison=staff[n % 500])
        enterprises = list(
            Enterprise.objects.filter(jurisdiction=park).order_by("pk").values_list("pk", "liaison_id")
        )
        at = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
        questionnaire = Questionnaire.objects.create(jurisdiction=park, title="基准问卷")
        version = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire, number=1, definition=definition(), created_at=at, updated_at=at
        )
        Campaign.objects.filter(jurisdiction=park, title="基准走访活动").delete()
        campaign = Campaign.objects.create(
            jurisdiction=park,
            title="基准走访活动",
            theme="营商环境",
            starts_on=dt.date(2025, 3, 1),
            ends_on=dt.date(2025, 12, 31),
            questionnaire=questionnaire,
            questionnaire_version=version,
            state="open",
        )
        Visit.objects.bulk_create(
            (
                Visit(
                    jurisdiction=park,
                    jurisdiction_path=park.path,
                    enterprise_id=enterprises[i % 2000][0],
                    liaison_id=enterprises[i % 2000][1],
                    campaign=campaign,
                    channel="liaison" if i % 4 else "electronic",
                    checked_in_at=at + dt.timedelta(minutes=37 * i),
                    idempotency_key=f"bench-{i}",
                    questionnaire_version=version,
                    answers=answers(i),
                    created_at=timezone.now(),
                    updated_at=timezone.now(),
                )
                for i in range(forms)
            ),
            batch_size=1000,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE visits_visit")
    print(f"generated {forms:,} forms of 40 questions in {time.perf_counter() - started:.1f} s")
    return office, campaign


ANSWERS_SQL = "SELECT questionnaire_version_id, answers FROM visits_visit WHERE campaign_id = %s"
AGGREGATE_SQL = """
SELECT a.key, a.value, count(*) FROM visits_visit v, jsonb_each_text(v.answers) a
WHERE v.campaign_id = %s AND jsonb_typeof(v.answers -> a.key) = 'string' GROUP BY 1, 2
"""
EXPORT_SQL = """
SELECT e.name, e.credit_code, s.name, s.phone, v.checked_in_at, v.channel, v.answers
FROM visits_visit v JOIN enterprises_enterprise e ON e.id = v.enterprise_id
LEFT JOIN org_staff s ON s.id = v.liaison_id WHERE v.campaign_id = %s ORDER BY v.checked_in_at, v.id
"""


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _copy_sql(table: str, columns: list[str], replaced: dict[str, str]) -> str:
    """INSERT … SELECT copying one row of `table` (every column but id), some replaced."""
    names = ", ".join(columns)
    values = ", ".join(replaced.get(c, c) for c in columns)
    return f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} WHERE id = %s RETURNING id"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--forms", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--saves", type=int, default=60)
    args = parser.parse_args()
    setup_django("lianqi_bench_visits")
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from lianqi.core.excel import Column, write_workbook
    from lianqi.demands.models import Demand
    from lianqi.enterprises.models import Enterprise
    from lianqi.visits import actions, queries
    from lianqi.visits.models import RaisedDemand, Visit

    call_command("migrate", verbosity=0)
    office, campaign = generate(args.forms)
    client = Client(HTTP_HOST="localhost")
    client.force_login(office)
    page_url = reverse("visits:campaign_analysis", args=[campaign.pk])
    export_url = reverse("visits:campaign_export", args=[campaign.pk])

    def timed_get(url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = _ms(started)
        assert response.status_code == 200, response.status_code
        return elapsed

    def timed_sql(sql: str) -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, [campaign.pk])
            cursor.fetchall()
        return _ms(started)

    timed_get(page_url)
    timed_sql(ANSWERS_SQL)  # warm both
    page = [timed_get(page_url) for _ in range(args.repeat)]
    raw_answers = [timed_sql(ANSWERS_SQL) for _ in range(args.repeat)]
    raw_aggregate = [timed_sql(AGGREGATE_SQL) for _ in range(args.repeat)]
    export = [timed_get(export_url) for _ in range(max(2, args.repeat // 2))]
    raw_export = [timed_sql(EXPORT_SQL) for _ in range(args.repeat)]
    # The shared Excel writer alone, on a grid of the export's shape (strings, a third empty).
    width = len(queries.export_columns(campaign)) + 6
    grid = [[f"答案{(i + k) % 7}" if (i + k) % 3 else None for k in range(width)] for i in range(args.forms)]
    writer: list[float] = []
    for _ in range(2):
        started = time.perf_counter()
        write_workbook([Column(str(k), str(k)) for k in range(width)], grid)
        writer.append(_ms(started))

    # Saving a visit with 40 answers that raise two demands, each in its own transaction.
    enterprises = list(Enterprise.objects.filter(jurisdiction=office.jurisdiction).order_by("pk")[:200])
    saves: list[float] = []
    stamp = f"{os.getpid()}-{int(time.time())}"
    for n in range(args.saves):
        started = time.perf_counter()
        visit = actions.record_visit(
            enterprise=enterprises[n % len(enterprises)],
            actor=office,
            idempotency_key=f"timed-{stamp}-{n}",
            campaign=campaign,
            answers=answers(n, raise_demands=True),
        )
        saves.append(_ms(started))
        assert visit.raised.count() == 2
    # The baseline: the same rows (the visit, its two demands and links) by bare INSERTs.
    columns = {
        model: [f.column for f in model._meta.concrete_fields if f.column != "id"]
        for model in (Visit, Demand, RaisedDemand)
    }
    insert_visit = _copy_sql(
        "visits_visit", columns[Visit], {"idempotency_key": "idempotency_key || '-raw-' || %s"}
    )
    insert_demand = _copy_sql("demands_demand", columns[Demand], {})
    insert_link = _copy_sql(
        "visits_raiseddemand", columns[RaisedDemand], {"visit_id": "%s", "demand_id": "%s"}
    )
    links = list(RaisedDemand.objects.filter(visit_id=visit.pk).values_list("pk", "demand_id"))
    bare: list[float] = []
    for n in range(args.saves):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(insert_visit, [f"{stamp}-{n}", visit.pk])
            copied = cursor.fetchone()[0]
            for link, demand in links:
                cursor.execute(insert_demand, [demand])
                new_demand = cursor.fetchone()[0]
                cursor.execute(insert_link, [copied, new_demand, link])
        bare.append(_ms(started))

    load = os.getloadavg()
    started = time.perf_counter()
    sum(range(10_000_000))
    cpu = time.perf_counter() - started
    print(
        f"\n{args.forms:,} forms of 40 questions; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f};"
        f" this Python adds ten million integers in {cpu:.2f} s"
    )
    print(f"{'measure':<58}{'median ms':>10}{'p95 ms':>10}{'÷ baseline':>12}")

    def line(name: str, values: list[float], base: list[float] | None = None) -> None:
        median = statistics.median(values)
        ratio = f"{median / statistics.median(base):>11.2f}×" if base else f"{'':>12}"
        print(f"{name:<58}{median:>10.1f}{percentile(values, 95):>10.1f}{ratio}")

    line("baseline: raw SQL reading the campaign's answers", raw_answers)
    line("baseline: choice counts aggregated in SQL (jsonb_each_text)", raw_aggregate)
    line("analysis page (whole request)", page, raw_answers)
    line("baseline: raw SQL reading the export's rows", raw_export)
    line(f"shared Excel writer alone, {args.forms:,} × {width} cells", writer)
    line("Excel export (whole request)", export, raw_export)
    line("baseline: bare INSERTs of a visit, 2 demands, 2 links", bare)
    line("record_visit, 40 answers raising 2 demands", saves, bare)
    verdicts = [
        ("analysis page <= 1 s", statistics.median(page) <= PAGE_TARGET_MS),
        ("Excel export <= 10 s", statistics.median(export) <= EXPORT_TARGET_MS),
        ("saving a visit p95 <= 150 ms", percentile(saves, 95) <= SAVE_TARGET_MS),
    ]
    print("\ntargets: " + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in verdicts))


if __name__ == "__main__":
    main()
