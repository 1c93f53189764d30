"""Benchmark: import a 100,000-row enterprise workbook into PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_import \\
        .venv/bin/python bench/enterprise_import.py [--rows 100000]

The workbook is generated deterministically (valid credit codes, every column filled, a liaison
named on every row). It is imported through the same path a user takes: the upload becomes a
job, the job is validated into a preview, then committed in one transaction. Printed: the
validation time, the commit time, the total and rows per second, and, as a baseline measured in
the same run, the time openpyxl alone takes to read the file (so the ratios say how much the
import adds on top of reading the spreadsheet). Target: at most 120 s in total for 100,000 rows.

The benchmark empties the enterprise tables first, so it refuses any database whose name does
not contain "bench", and it refuses SQLite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("LIANQI_DEBUG", "0")  # DEBUG keeps every query in memory

TARGET_SECONDS = 120.0
STAFF = 500
TAGS = ("专精特新", "小巨人", "高新技术企业", "科技型中小企业", "链主企业", "外贸企业")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
WORDS = ("华菱", "湘钢", "电机", "线缆", "新材", "智造", "精工", "能源", "装备", "科技", "汽车", "医药")
SUFFIXES = ("有限公司", "股份有限公司", "科技有限公司", "制造有限公司")


def refuse(message: str) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(2)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        refuse(
            "DATABASE_URL is required: this benchmark measures PostgreSQL, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_import"
        )
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        refuse(f"DATABASE_URL points at {connection.vendor}; this benchmark runs on PostgreSQL only.")
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        refuse(
            f"Database {name!r}: the benchmark empties the enterprise tables, so it only runs on a "
            "scratch database whose name contains 'bench' (e.g. lianqi_bench_import)."
        )

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.test import override_settings

    # Validation and commit are background tasks; measured here in this process, where they
    # run as the worker would run them, one after the other.
    immediate = override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    )
    immediate.enable()
    actor, park, staff = prepare_world()
    with tempfile.TemporaryDirectory(prefix="lianqi-bench-") as folder:
        path = Path(folder) / "enterprises.xlsx"
        began = time.perf_counter()
        path.write_bytes(generate_workbook(args.rows, park.code, staff))
        generated = time.perf_counter() - began
        print(
            f"workbook: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB, generated in {generated:.1f} s"
        )
        run_import(path, actor, args.rows)


def prepare_world() -> tuple[Any, Any, list[tuple[str, str]]]:
    """Empty the enterprise tables and make one park with an office user, staff and tags."""
    from django.contrib.auth.models import Group
    from django.db import connection

    from lianqi.accounts.models import User
    from lianqi.core.roles import Role
    from lianqi.enterprises.models import Enterprise, Tag
    from lianqi.org.choices import JurisdictionLevel
    from lianqi.org.models import Jurisdiction, Staff

    with connection.cursor() as cursor:
        tables = [Enterprise._meta.db_table, Enterprise.history.model._meta.db_table]  # type: ignore[attr-defined]
        cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
    province, _ = Jurisdiction.objects.get_or_create(
        code="439000", defaults={"name": "基准省", "level": JurisdictionLevel.PROVINCE}
    )
    city, _ = Jurisdiction.objects.get_or_create(
        code="439100", defaults={"name": "基准市", "level": JurisdictionLevel.CITY, "parent": province}
    )
    park, _ = Jurisdiction.objects.get_or_create(
        code="439101", defaults={"name": "基准高新区", "level": JurisdictionLevel.PARK, "parent": city}
    )
    actor, created = User.objects.get_or_create(username="bench_office", defaults={"jurisdiction": park})
    if created:
        actor.groups.add(Group.objects.get_or_create(name=Role.SERVICE_OFFICE)[0])
    for order, tag in enumerate(TAGS):
        Tag.objects.get_or_create(name=tag, defaults={"order": order})
    existing = set(Staff.objects.filter(jurisdiction=park).values_list("name", flat=True))
    Staff.objects.bulk_create(
        [
            Staff(jurisdiction=park, jurisdiction_path=park.path, name=f"干部{n:04d}", phone=f"139{n:08d}")
            for n in range(STAFF)
            if f"干部{n:04d}" not in existing
        ]
    )
    staff = list(Staff.objects.filter(jurisdiction=park).order_by("name").values_list("name", "phone"))
    return actor, park, staff


def generate_workbook(rows: int, park_code: str, staff: list[tuple[str, str]]) -> bytes:
    """A deterministic workbook of `rows` valid enterprises (the same file on every run)."""
    from lianqi.core.excel import write_workbook
    from lianqi.enterprises.choices import EnterpriseKind, EnterpriseStatus
    from lianqi.enterprises.columns import ENTERPRISE_COLUMNS
    from lianqi.enterprises.creditcode import complete
    from lianqi.enterprises.models import Industry

    rng = random.Random(20260101)
    industries = sorted(Industry.objects.filter(level=2).values_list("code", flat=True))
    kinds = [str(k.label) for k in EnterpriseKind]
    active = str(EnterpriseStatus.ACTIVE.label)
    keys = [c.key for c in ENTERPRISE_COLUMNS]

    def generate() -> object:
        for n in range(rows):
            liaison_name, liaison_phone = staff[n % len(staff)]
            values = {
                "credit_code": complete(f"91{park_code}{n:09d}"),
                "name": f"基准{rng.choice(WORDS)}{rng.choice(WORDS)}{n:06d}{rng.choice(SUFFIXES)}",
                "kind": rng.choice(kinds),
                "industry": rng.choice(industries),
                "jurisdiction": park_code if n % 3 else None,
                "legal_representative": rng.choice(SURNAMES) + rng.choice(SURNAMES),
                "address": f"基准高新区创新大道{rng.randint(1, 999)}号",
                "founded_on": dt.date(1990, 1, 1) + dt.timedelta(days=rng.randint(0, 12_000)),
                "registered_capital": round(rng.uniform(10, 50_000), 2),
                "employees": rng.randint(1, 3000),
                "tags": "、".join(rng.sample(TAGS, rng.randint(0, 2))),
                "status": active,
                "liaison_name": liaison_name,
                "liaison_phone": liaison_phone if n % 10 == 0 else None,
            }
            yield [values[k] for k in keys]

    return write_workbook(ENTERPRISE_COLUMNS, generate(), "企业")  # type: ignore[arg-type]


def run_import(path: Path, actor: object, rows: int) -> None:
    from django.core.files.uploadedfile import UploadedFile

    from lianqi.core.excel import read_rows
    from lianqi.core.models import Job
    from lianqi.enterprises import actions, importing
    from lianqi.enterprises.columns import ENTERPRISE_COLUMNS
    from lianqi.enterprises.models import Enterprise
    from lianqi.liaisons.models import LiaisonChange

    # Baseline: openpyxl reading the same file, nothing else.
    began, cpu = time.perf_counter(), time.process_time()
    _total, records = read_rows(str(path), ENTERPRISE_COLUMNS)
    read = sum(1 for _ in records)
    baseline, baseline_cpu = time.perf_counter() - began, time.process_time() - cpu
    assert read == rows, (read, rows)

    with path.open("rb") as handle:
        upload = UploadedFile(handle, name=path.name, size=path.stat().st_size)
        began, cpu = time.perf_counter(), time.process_time()
        job = actions.start_import(actor=actor, upload=upload)  # type: ignore[arg-type]
        validation, validation_cpu = time.perf_counter() - began, time.process_time() - cpu
    job.refresh_from_db()
    if job.status != Job.Status.READY or job.result["counts"]["bad"]:
        refuse(f"validation did not pass: {job.status} {job.error} {job.result.get('errors', [])[:5]}")

    began, cpu = time.perf_counter(), time.process_time()
    actions.request_commit(job=job, actor=actor, mode=importing.MODE_ALL)  # type: ignore[arg-type]
    commit, commit_cpu = time.perf_counter() - began, time.process_time() - cpu
    job.refresh_from_db()
    if job.status != Job.Status.DONE:
        refuse(f"commit failed: {job.error}")

    created = Enterprise.objects.count()
    changes = LiaisonChange.objects.count()
    assert created == rows, (created, rows)
    assert changes == rows, (changes, rows)
    total = validation + commit
    # Wall time is what a user waits; CPU time of this process is steadier on a shared machine
    # (it leaves out the database server's share and time spent waiting for a CPU).
    print(f"{'':32}{'wall':>8}{'cpu':>9}{'wall/baseline':>15}")
    for label, wall, used in (
        ("baseline (openpyxl read only)", baseline, baseline_cpu),
        ("validation", validation, validation_cpu),
        ("commit (re-check + write)", commit, commit_cpu),
        ("total", total, validation_cpu + commit_cpu),
    ):
        print(f"{label:32}{wall:7.1f}s{used:8.1f}s{wall / baseline:14.2f}×")
    print(f"throughput: {rows / total:.0f} rows/s")
    verdict = "met" if total <= TARGET_SECONDS * rows / 100_000 else "MISSED"
    print(f"target ≤ {TARGET_SECONDS * rows / 100_000:.0f} s for {rows:,} rows: {verdict}")
    if verdict != "met":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
