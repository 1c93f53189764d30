"""Benchmark of the finance overview's year figures over 500,000 applications in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_finance .venv/bin/python bench/finance_figures.py [--applications 500000]

Generates once (deterministic; later runs reuse the rows): a city with a park and a neighbouring
park, 2,000 enterprises, the demo's 27 institutions with five products each, and `--applications`
applications over a year written by INSERT … SELECT generate_series (every value arithmetic on
the row number: 75 % disbursed, 12 % declined, the rest under way, 5 % in the neighbouring park,
outside the office's scope), one tranche per loan, and builds the figures' day cells from them
(`cells.mark_all_stale` + `cells.refresh`, timed). Then, as the park's office, it times what the
overview computes for 2025 — the headline, the tables by institution, product kind, industry,
enterprise kind and month, the states, the median working days of each step and the financing
demands closed by a loan (`queries.year_figures`), and the overdue count — and the whole page
through Django's test client; and, in the same run, the baseline: the headline alone as one
hand-written SQL aggregate over the applications. Target: the page ≤ 500 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django  # noqa: E402 (after the path)

TARGET_MS = 500.0
BASELINE_SQL = """
SELECT count(*),
       count(*) FILTER (WHERE state IN ('approved', 'disbursed')),
       count(*) FILTER (WHERE state = 'declined'),
       coalesce(sum(granted_fen) FILTER (WHERE state IN ('approved', 'disbursed')), 0),
       coalesce(sum(disbursed_fen) FILTER (WHERE state = 'disbursed'), 0),
       count(DISTINCT enterprise_id) FILTER (WHERE state = 'disbursed')
  FROM finance_application WHERE jurisdiction_path LIKE %(path)s
"""
INSERT_SQL = """
INSERT INTO finance_application (
    created_at, updated_at, jurisdiction_id, jurisdiction_path, enterprise_id, product_id,
    institution_id, amount_fen, term_months, purpose, consent, state, submitted_at, accept_due,
    accepted_at, decided_at, granted_fen, reason, disbursed_fen, disbursed_on, version)
SELECT now(), now(),
       CASE WHEN n %% 20 = 0 THEN %(other_id)s ELSE %(park_id)s END,
       CASE WHEN n %% 20 = 0 THEN %(other_path)s ELSE %(park_path)s END,
       %(first_enterprise)s + (n %% %(enterprises)s),
       %(first_product)s + (n %% %(products)s),
       %(first_institution)s + ((n %% %(products)s) / 5),
       (10 + n %% 490) * 1000000,
       12, '补充流动资金', true,
       CASE WHEN n %% 100 < 75 THEN 'disbursed' WHEN n %% 100 < 87 THEN 'declined'
            WHEN n %% 100 < 92 THEN 'approved' WHEN n %% 100 < 96 THEN 'accepted' ELSE 'submitted' END,
       timestamp with time zone '2025-01-01 09:00+08' + (n %% 365) * interval '1 day',
       date '2025-01-06' + (n %% 365),
       CASE WHEN n %% 100 < 96 THEN timestamp with time zone '2025-01-02 10:00+08'
                                    + (n %% 365) * interval '1 day' + (n %% 3) * interval '1 day' END,
       CASE WHEN n %% 100 < 92 THEN timestamp with time zone '2025-01-08 16:00+08'
                                    + (n %% 365) * interval '1 day' + (n %% 7) * interval '1 day' END,
       CASE WHEN n %% 100 < 75 OR n %% 100 BETWEEN 87 AND 91 THEN (10 + n %% 490) * 900000 END,
       CASE WHEN n %% 100 BETWEEN 75 AND 86 THEN '经营现金流不足' ELSE '' END,
       CASE WHEN n %% 100 < 75 THEN (10 + n %% 490) * 900000 END,
       CASE WHEN n %% 100 < 75 THEN date '2025-01-20' + (n %% 345) END,
       1
  FROM generate_series(1, %(count)s) AS n
"""
TRANCHES_SQL = """
INSERT INTO finance_tranche (created_at, updated_at, application_id, number, amount_fen, disbursed_on)
SELECT now(), now(), id, 1, disbursed_fen, disbursed_on FROM finance_application WHERE disbursed_fen IS NOT NULL
"""
KINDS = ("credit", "mortgage", "guaranteed", "movable_pledge", "supply_chain")


def generate(count: int) -> object:
    """The park's office user, generating the rows on first run."""
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from lianqi.accounts.models import User
    from lianqi.core.roles import Role
    from lianqi.demo.finance import INSTITUTIONS
    from lianqi.enterprises import creditcode
    from lianqi.enterprises.models import Enterprise, Industry
    from lianqi.finance.models import Application, Institution, Product
    from lianqi.finance.tests.factories import product_rule
    from lianqi.org.choices import JurisdictionLevel
    from lianqi.org.models import Jurisdiction

    office = User.objects.filter(username="bench-finance-office").first()
    if office is not None and Application.objects.count() >= count:
        return office
    with transaction.atomic():
        province, _ = Jurisdiction.objects.get_or_create(
            code="430000", defaults={"name": "湖南省", "level": JurisdictionLevel.PROVINCE}
        )
        city, _ = Jurisdiction.objects.get_or_create(
            code="430300", defaults={"name": "湘潭市", "level": JurisdictionLevel.CITY, "parent": province}
        )
        park, _ = Jurisdiction.objects.get_or_create(
            code="430371", defaults={"name": "湘潭高新区", "level": JurisdictionLevel.PARK, "parent": city}
        )
        other, _ = Jurisdiction.objects.get_or_create(
            code="430372", defaults={"name": "湘潭经开区", "level": JurisdictionLevel.PARK, "parent": city}
        )
        section, _ = Industry.objects.get_or_create(
            code="C", defaults={"level": 1, "name": "制造业", "section": "C"}
        )
        industry, _ = Industry.objects.get_or_create(
            code="38",
            defaults={"level": 2, "name": "电气机械和器材制造业", "section": "C", "parent": section},
        )
        enterprises = [
            Enterprise(
                credit_code=creditcode.complete(f"91430300{n:09d}"[:17]),
                name=f"湘潭第{n}号制造有限公司",
                kind=("above_size", "below_size", "shop")[n % 3],
                industry=industry,
                jurisdiction=park if n % 20 else other,
                jurisdiction_path=(park if n % 20 else other).path,
            )
            for n in range(1, 2001)
        ]
        Enterprise.objects.bulk_create(enterprises)
        institutions = []
        for name, kind, branches in INSTITUTIONS:
            institutions.append(
                Institution.objects.create(jurisdiction=city, name=name, kind=kind, branches=branches)
            )
        products = []
        for i, institution in enumerate(institutions):
            for j in range(5):
                code = f"BF{i:02d}{j}"
                products.append(
                    Product.objects.create(
                        institution=institution,
                        code=code,
                        name=f"{institution.name}产品{j + 1}",
                        kind=KINDS[j],
                        min_amount_fen=1_000_000,
                        max_amount_fen=500_000_000,
                        min_rate=3,
                        max_rate=5,
                        min_term_months=6,
                        max_term_months=36,
                        rule=product_rule(code),
                        state="published",
                    )
                )
        first_enterprise = min(e.pk for e in Enterprise.objects.filter(name__startswith="湘潭第").only("pk"))
        with connection.cursor() as cursor:
            cursor.execute(
                INSERT_SQL,
                {
                    "count": count,
                    "park_id": park.pk,
                    "park_path": park.path,
                    "other_id": other.pk,
                    "other_path": other.path,
                    "first_enterprise": first_enterprise,
                    "enterprises": 2000,
                    "first_product": products[0].pk,
                    "products": len(products),
                    "first_institution": institutions[0].pk,
                },
            )
            cursor.execute(TRANCHES_SQL)
            cursor.execute("ANALYZE finance_application")
            cursor.execute("ANALYZE finance_tranche")
        office = User.objects.create_user(username="bench-finance-office", password="x", jurisdiction=park)
        office.groups.add(Group.objects.get(name=Role.SERVICE_OFFICE))
    return office


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django("lianqi_bench_finance")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from lianqi.finance import cells, queries
    from lianqi.finance.models import FigureCell
    from lianqi.finance.permissions import visible

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    office = generate(args.applications)
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    if not FigureCell.objects.exists():
        started = time.perf_counter()
        marked = cells.mark_all_stale()
        days = cells.refresh()
        print(f"day cells built: {marked} marks, {days} days in {time.perf_counter() - started:.1f} s")
    print(f"{FigureCell.objects.count():,} day cells")
    path = office.jurisdiction.path  # type: ignore[attr-defined]
    client = Client(HTTP_HOST="localhost")
    client.force_login(office)  # type: ignore[arg-type]

    def figures() -> float:
        started = time.perf_counter()
        queries.year_figures(office, 2025)
        queries.overdue(visible(office), at=timezone.now()).count()
        return (time.perf_counter() - started) * 1000

    def page() -> float:
        started = time.perf_counter()
        response = client.get("/finance/?year=2025")
        assert response.status_code == 200
        return (time.perf_counter() - started) * 1000

    def baseline() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, {"path": path + "%"})
            cursor.fetchone()
        return (time.perf_counter() - started) * 1000

    figures(), page(), baseline()  # warm
    runs = {
        "year figures (every table, steps, overdue)": [],
        "whole page": [],
        "baseline: headline in one SQL": [],
    }
    for _ in range(args.repeat):
        runs["year figures (every table, steps, overdue)"].append(figures())
        runs["whole page"].append(page())
        runs["baseline: headline in one SQL"].append(baseline())
    base = statistics.median(runs["baseline: headline in one SQL"])
    print(f"{args.applications:,} applications (5 % outside the office's park)")
    for name, values in runs.items():
        median = statistics.median(values)
        print(
            f"  {name}: median {median:.0f} ms (max {max(values):.0f} ms, {median / base:.1f}× the baseline)"
        )
    verdict = "met" if statistics.median(runs["whole page"]) <= TARGET_MS else "NOT met"
    print(f"target: whole page ≤ {TARGET_MS:.0f} ms — {verdict}")


if __name__ == "__main__":
    main()
