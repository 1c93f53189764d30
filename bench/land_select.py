"""Benchmark: the land supermarket at a large park's scale, 5,000 parcels.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_land \\
        .venv/bin/python bench/land_select.py [--parcels 5000 --repeat 7]

Refuses to run without a PostgreSQL `DATABASE_URL`. Generates (deterministic, once; later runs
reuse them) the parcels of a park of its own: blocks along a road grid cut into two to six
adjacent parcels with surveyed-looking outlines (five to seven vertices), seven uses, zones
that bar industries, prices, infrastructure and 标准地 indicators, a fifth of them reserved or
sold. Then times, best and median of `--repeat`:

- smart selection: a project's needs against every parcel the office sees — reading the
  parcels (`queries.offers`) and ranking them (`selection.select`), then the reasons of the
  thirty shown; beside the baseline of the same selection done the first way one would write
  it: model instances loaded, every condition of every parcel explained, then sorted;
- the map's GeoJSON: every parcel as a FeatureCollection text (`queries.geojson_text`), beside
  the baseline of the same document built from model instances one feature at a time (as a
  serializer would), and the floor of the raw SQL reading the same columns.

Targets (issue): selection ≤ 100 ms, GeoJSON ≤ 300 ms at 5,000 parcels.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django  # noqa: E402

PARK_CODE = "439998"
USES = ("0601", "0601", "0601", "0604", "0508", "0505", "0805")
ZONES = (
    ("先进制造产业园", "C25 C26"),
    ("新能源装备产业园", "C25 C26 C31"),
    ("现代物流园", "C"),
    ("科创服务区", "B C"),
)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    runs = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - started) * 1000)
    return min(runs), statistics.median(runs), result


def generate(count: int) -> Any:
    from django.db import transaction

    from lianqi.land import geometry
    from lianqi.land.models import M2_PER_MU, Parcel
    from lianqi.org.choices import JurisdictionLevel
    from lianqi.org.models import Jurisdiction

    park, _ = Jurisdiction.objects.get_or_create(
        code=PARK_CODE, defaults={"name": "基准测试产业园", "level": JurisdictionLevel.PARK}
    )
    have = Parcel.objects.filter(jurisdiction=park).count()
    if have >= count:
        return park
    Parcel.objects.filter(jurisdiction=park).delete()
    rng = random.Random(5000)
    lon0, lat0 = 112.80, 27.70
    k_lat = 1 / 110_770.0
    k_lon = 1 / (110_770.0 * math.cos(math.radians(lat0)))
    rows: list[Parcel] = []
    columns = 40
    block_w, block_h, road = 420.0, 300.0, 30.0
    index = 0
    block = 0
    while len(rows) < count:
        bx, by = block % columns, block // columns
        x0, y0 = bx * (block_w + road), by * (block_h + road)
        zone, barred = ZONES[bx % len(ZONES)]
        pieces = rng.randint(2, 6)
        weights = [rng.uniform(0.7, 1.4) for _ in range(pieces)]
        cuts = [0.0]
        for w in weights:
            cuts.append(cuts[-1] + block_w * w / sum(weights))
        for k in range(pieces):
            if len(rows) >= count:
                break
            left, right = cuts[k], cuts[k + 1]
            # A bend in the back line and a cut corner or two: five to seven vertices.
            points = [
                (left, 0.0),
                (right, 0.0),
                (right, block_h * 0.55),
                (right - 6, block_h),
                (left, block_h),
            ]
            if k == 0:
                points = [(left, 12.0), (left + 12, 0.0), *points[1:]]
            ring = [[round(lon0 + (x0 + x) * k_lon, 7), round(lat0 + (y0 + y) * k_lat, 7)] for x, y in points]
            ring.append(ring[0])
            shape = geometry.polygon({"type": "Polygon", "coordinates": [ring]})
            area = Decimal(f"{shape.area_m2():.2f}")
            mu = (area / M2_PER_MU).quantize(Decimal("0.01"))
            lon, lat = shape.centre()
            index += 1
            roll = rng.random()
            state = (
                "available"
                if roll < 0.7
                else "reserved"
                if roll < 0.8
                else "sold"
                if roll < 0.9
                else "planned"
            )
            row = Parcel(
                jurisdiction=park,
                code=f"BM-{index:05d}",
                location=f"第{by + 1}排第{bx + 1}街区",
                zone=zone,
                barred_industries=barred,
                boundary=shape.geojson(),
                centre_lon=lon,
                centre_lat=lat,
                area_m2=area,
                area_mu=mu,
                land_use=rng.choice(USES),
                plot_ratio_min=Decimal("1.0"),
                plot_ratio_max=Decimal("2.5"),
                building_density_max=Decimal("60"),
                height_limit_m=Decimal("36"),
                price=(mu * Decimal(rng.randint(200_000, 350_000))).quantize(Decimal("0.01")),
                power_kva=rng.choice((None, 630, 1250, 2000, 3150, 5000)),
                water_tpd=rng.choice((200, 500, 1000)),
                gas=rng.random() < 0.8,
                sewage=rng.random() < 0.9,
                road="临园区道路",
                investment_per_mu_min=Decimal(rng.choice((200, 300, 350, 500))),
                tax_per_mu_min=Decimal(rng.choice((12, 20, 25, 40))),
                energy_per_output_max=Decimal(rng.choice(("0.3", "0.45", "0.6"))),
                emissions_max=Decimal(rng.choice((5, 10, 12))),
                state=state,
            )
            row.fill_derived_fields()
            rows.append(row)
        block += 1
    with transaction.atomic():
        Parcel.objects.bulk_create(rows, batch_size=1000)
    return park


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parcels", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django("lianqi_bench_land")
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from lianqi.core.scoping import scope_queryset
    from lianqi.land import queries, selection
    from lianqi.land.choices import LandUse, ParcelStatus
    from lianqi.land.models import Parcel

    started = time.perf_counter()
    park = generate(args.parcels)
    print(
        f"parcels: {Parcel.objects.filter(jurisdiction=park).count():,} ({time.perf_counter() - started:.1f} s to make or find)"
    )

    class Office:
        is_authenticated = True
        is_superuser = False
        jurisdiction = park
        _lianqi_roles = frozenset({"service_office"})

    scoped = scope_queryset(Parcel.objects.all(), Office())
    needs = selection.Needs(
        area_min_mu=20,
        area_max_mu=60,
        land_use="0601",
        land_use_label="工业用地",
        power_kva=1500,
        budget=15_000_000,
        industry_code="C3831",
        investment_per_mu=320,
        tax_per_mu=22,
        energy_per_output=0.4,
        emissions_tpa=6,
    )

    def ours() -> list[selection.Ranked]:
        ranked = selection.select(needs, queries.offers(scoped))
        for r in ranked[:30]:
            _ = r.checks
        return ranked

    states = dict(ParcelStatus.choices)
    uses = dict(LandUse.choices)

    def first_way() -> list[tuple[int, float, str, list[selection.Check]]]:
        out = []
        for row in scoped:
            offer = selection.Offer(
                pk=row.pk,
                code=row.code,
                state=row.state,
                area_mu=float(row.area_mu),
                land_use=row.land_use,
                price=float(row.price),
                zone=row.zone,
                barred=row.barred,
                power_kva=row.power_kva,
                water_tpd=row.water_tpd,
                gas=row.gas,
                sewage=row.sewage,
                road=bool(row.road),
                investment_per_mu_min=None
                if row.investment_per_mu_min is None
                else float(row.investment_per_mu_min),
                tax_per_mu_min=None if row.tax_per_mu_min is None else float(row.tax_per_mu_min),
                energy_per_output_max=None
                if row.energy_per_output_max is None
                else float(row.energy_per_output_max),
                emissions_max=None if row.emissions_max is None else float(row.emissions_max),
                state_label=str(states[row.state]),
                use_label=str(uses[row.land_use]),
            )
            checks = selection.explain(needs, offer)
            failed = sum(1 for c in checks if c.hard and c.verdict is selection.NOT_MET)
            out.append((failed, -selection.fit_score(needs, offer), row.code, checks))
        out.sort(key=lambda t: t[:3])
        return out

    def geojson() -> str:
        return queries.geojson_text(scoped)

    def serializer_way() -> str:
        from lianqi.land.api.views import _feature

        return json.dumps(
            {
                "type": "FeatureCollection",
                "features": [_feature(row) for row in scoped.order_by("code", "pk")],
            },
            ensure_ascii=False,
        )

    sql, params = scoped.order_by("code", "pk").values_list(*queries.MAP_COLUMNS).query.sql_with_params()

    def raw() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return len(cursor.fetchall())

    for fn in (ours, first_way, geojson, serializer_way, raw):  # warm the caches once
        fn()
    best, median, ranked = timed(ours, args.repeat)
    base_best, base_median, _ = timed(first_way, args.repeat)
    eligible = sum(1 for r in ranked if r.verdict is selection.MET)
    print()
    print(f"smart selection over {len(ranked):,} parcels ({eligible:,} eligible):")
    print(
        f"  ours (offers + rank + 30 reasons)   best {best:7.1f} ms  median {median:7.1f} ms   target ≤ 100 ms"
    )
    print(
        f"  baseline (instances, all explained) best {base_best:7.1f} ms  median {base_median:7.1f} ms   ({base_median / median:.1f}× ours)"
    )
    print("  top three:")
    for r in ranked[:3]:
        print(
            f"    {r.offer.code} {r.verdict.label} {r.score:5.1f}  " + "；".join(c.text for c in r.checks[:3])
        )
    g_best, g_median, text = timed(geojson, args.repeat)
    s_best, s_median, _ = timed(serializer_way, args.repeat)
    r_best, r_median, _ = timed(raw, args.repeat)
    print()
    features = text.count('"type":"Feature"')
    print(f"map GeoJSON of {features:,} parcels ({len(text.encode()) / 1e6:.1f} MB):")
    print(
        f"  ours (values → FeatureCollection)   best {g_best:7.1f} ms  median {g_median:7.1f} ms   target ≤ 300 ms"
    )
    print(
        f"  baseline (instances, per feature)   best {s_best:7.1f} ms  median {s_median:7.1f} ms   ({s_median / g_median:.1f}× ours)"
    )
    print(f"  floor (raw SQL, same columns)       best {r_best:7.1f} ms  median {r_median:7.1f} ms")
    ok = median <= 100 and g_median <= 300
    print()
    print("targets met" if ok else "TARGET MISSED")


if __name__ == "__main__":
    main()
