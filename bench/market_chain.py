"""Benchmark of an industrial chain's page: 2,000 enterprises on a chain of 40 nodes and 200,000
purchase records, in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_chain .venv/bin/python bench/market_chain.py [--purchases 200000]

Generates once (deterministic; later runs reuse the rows): a city with two parks, 2,000
manufacturers (three in four in the chain's home park), a chain of 40 nodes four levels deep
with every enterprise on one node (one in ten on a second), yearly output for two years, and
`--purchases` purchase records written by INSERT … SELECT generate_series, all in the year the
page shows (the worst case: every record counts), about 42 % from local suppliers, then the
yearly cells rebuilt from them (`rebuild_purchase_totals`). Then, as
the city's office, it times the map the page computes (`queries.chain_map`: one grouped query
over the purchases, the plain engine over the nodes) and the whole page through Django's test
client; and, in the same run, the baseline a first implementation would write: for each node,
its own query summing its firms' purchases, and one more for the chain. Target: the page
≤ 500 ms.
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
FIRMS = 2000
YEAR = 2025
INSERT_SQL = """
INSERT INTO market_purchase (
    created_at, updated_at, jurisdiction_id, jurisdiction_path, buyer_id, year, supplier_id,
    supplier_name, supplier_credit_code, place, is_local, item, amount, strategic, affiliated,
    source, recorded_by_id)
SELECT now(), now(), %(park_id)s, %(park_path)s,
       %(first)s + (n %% %(firms)s), %(year)s,
       CASE WHEN n %% 100 < 42 THEN %(first)s + ((n * 7 + 3) %% %(firms)s) END,
       CASE WHEN n %% 100 < 42 THEN '本地供应商' ELSE '外地供应商' || (n %% 997) END,
       CASE WHEN n %% 100 < 42 THEN '' ELSE '91440300' || lpad((n %% 997)::text, 10, '0') END,
       CASE WHEN n %% 100 < 42 THEN 'city' ELSE 'elsewhere' END,
       n %% 100 < 42, '零部件', (1000 + (n * 37) %% 90000) * 1.00, n %% 3 = 0, false, 'import', NULL
  FROM generate_series(1, %(count)s) AS n
"""


def generate(count: int) -> tuple[object, object]:
    """The city's office user and the chain, generating the rows on first run."""
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from lianqi.accounts.models import User
    from lianqi.core.roles import Role
    from lianqi.enterprises import creditcode
    from lianqi.enterprises.models import Enterprise, Industry, YearFigure
    from lianqi.market.actions.purchases import rebuild_purchase_totals
    from lianqi.market.models import Chain, ChainFirm, ChainNode, Purchase, PurchaseTotal
    from lianqi.org.choices import JurisdictionLevel
    from lianqi.org.models import Jurisdiction

    office = User.objects.filter(username="bench-chain-office").first()
    chain = Chain.objects.filter(name="基准产业链").first()
    if office is not None and chain is not None and Purchase.objects.count() >= count:
        return office, chain
    with transaction.atomic():
        province, _ = Jurisdiction.objects.get_or_create(
            code="430000", defaults={"name": "湖南省", "level": JurisdictionLevel.PROVINCE}
        )
        city, _ = Jurisdiction.objects.get_or_create(
            code="430300", defaults={"name": "湘潭市", "level": JurisdictionLevel.CITY, "parent": province}
        )
        park, _ = Jurisdiction.objects.get_or_create(
            code="430372", defaults={"name": "湘潭经开区", "level": JurisdictionLevel.PARK, "parent": city}
        )
        other, _ = Jurisdiction.objects.get_or_create(
            code="430371", defaults={"name": "湘潭高新区", "level": JurisdictionLevel.PARK, "parent": city}
        )
        section, _ = Industry.objects.get_or_create(
            code="C", defaults={"level": 1, "name": "制造业", "section": "C"}
        )
        industry, _ = Industry.objects.get_or_create(
            code="36", defaults={"level": 2, "name": "汽车制造业", "section": "C", "parent": section}
        )
        Purchase.objects.all().delete()
        PurchaseTotal.objects.all().delete()
        ChainFirm.objects.all().delete()
        ChainNode.objects.all().delete()
        Chain.objects.all().delete()
        Enterprise.objects.filter(name__startswith="湘潭链上第").delete()
        enterprises = [
            Enterprise(
                credit_code=creditcode.complete(f"91430300{n + 500000:09d}"[:17]),
                name=f"湘潭链上第{n}号汽车部件有限公司",
                kind="above_size",
                industry=industry,
                jurisdiction=park if n % 4 else other,
                jurisdiction_path=(park if n % 4 else other).path,
            )
            for n in range(1, FIRMS + 1)
        ]
        Enterprise.objects.bulk_create(enterprises)
        firms = list(Enterprise.objects.filter(name__startswith="湘潭链上第").order_by("pk"))
        YearFigure.objects.bulk_create(
            [
                YearFigure(enterprise=e, year=year, output_value=1000 + (e.pk % 700) + (year - YEAR) * 50)
                for e in firms
                for year in (YEAR - 1, YEAR)
            ]
        )
        chain = Chain.objects.create(jurisdiction=city, name="基准产业链", home_park=park, leader_name="链长")
        nodes: list[ChainNode] = []
        for index in range(40):
            parent = None if index == 0 else nodes[(index - 1) // 3]
            nodes.append(
                ChainNode.objects.create(chain=chain, parent=parent, name=f"环节{index + 1}", order=index)
            )
        placed = [
            ChainFirm(chain=chain, node=nodes[i % 38], enterprise=e, role="supporting")
            for i, e in enumerate(firms)
        ]
        placed += [
            ChainFirm(chain=chain, node=nodes[(i + 7) % 38], enterprise=e, role="key")
            for i, e in enumerate(firms)
            if i % 10 == 0
        ]
        ChainFirm.objects.bulk_create(placed, ignore_conflicts=True)
        with connection.cursor() as cursor:
            cursor.execute(
                INSERT_SQL,
                {
                    "count": count,
                    "park_id": park.pk,
                    "park_path": park.path,
                    "first": firms[0].pk,
                    "firms": FIRMS,
                    "year": YEAR,
                },
            )
        rebuild_purchase_totals()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE market_purchase")
            cursor.execute("ANALYZE market_purchasetotal")
            cursor.execute("ANALYZE market_chainfirm")
        office = User.objects.filter(username="bench-chain-office").first() or User.objects.create_user(
            username="bench-chain-office", password="x", jurisdiction=city
        )
        office.groups.add(Group.objects.get(name=Role.SERVICE_OFFICE))
    return office, chain


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--purchases", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django("lianqi_bench_chain")
    from django.core.management import call_command
    from django.db.models import Q, Sum
    from django.test import Client

    from lianqi.market import queries
    from lianqi.market.models import Purchase

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    office, chain = generate(args.purchases)
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    client = Client(HTTP_HOST="localhost")
    client.force_login(office)  # type: ignore[arg-type]

    def engine() -> float:
        started = time.perf_counter()
        found = queries.chain_map(chain, YEAR)  # type: ignore[arg-type]
        assert found.figures.rate is not None
        return (time.perf_counter() - started) * 1000

    def page() -> float:
        started = time.perf_counter()
        response = client.get(f"/market/chains/{chain.pk}/?year={YEAR}")  # type: ignore[attr-defined]
        assert response.status_code == 200, response.status_code
        return (time.perf_counter() - started) * 1000

    def baseline() -> float:
        """One query per node over its firms' purchases, and one for the chain."""
        started = time.perf_counter()
        for node in chain.nodes.all():  # type: ignore[attr-defined]
            Purchase.objects.filter(year=YEAR, buyer_id__in=node.firms.values("enterprise_id")).aggregate(
                total=Sum("amount"), local=Sum("amount", filter=Q(is_local=True))
            )
        Purchase.objects.filter(year=YEAR, buyer_id__in=chain.firms.values("enterprise_id")).aggregate(  # type: ignore[attr-defined]
            total=Sum("amount"), local=Sum("amount", filter=Q(is_local=True))
        )
        return (time.perf_counter() - started) * 1000

    engine(), page(), baseline()  # warm
    runs: dict[str, list[float]] = {
        "map (yearly cells + engine)": [],
        "whole page": [],
        "baseline: a query per node": [],
    }
    for _ in range(args.repeat):
        runs["map (yearly cells + engine)"].append(engine())
        runs["whole page"].append(page())
        runs["baseline: a query per node"].append(baseline())
    base = statistics.median(runs["baseline: a query per node"])
    found = queries.chain_map(chain, YEAR)  # type: ignore[arg-type]
    print(
        f"{FIRMS:,} enterprises on {len(found.figures.nodes)} nodes, {args.purchases:,} purchases; "
        f"chain rate {found.figures.rate}"
    )
    for name, values in runs.items():
        median = statistics.median(values)
        print(
            f"  {name}: median {median:.0f} ms (max {max(values):.0f} ms, {median / base:.2f}× the baseline)"
        )
    verdict = "met" if statistics.median(runs["whole page"]) <= TARGET_MS else "NOT met"
    print(f"target: whole page ≤ {TARGET_MS:.0f} ms — {verdict}")


if __name__ == "__main__":
    main()
