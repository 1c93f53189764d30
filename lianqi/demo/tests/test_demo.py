"""The demo park: its scale, its data's validity, its coverage, its logins and its determinism."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from stdnum.cn import uscc

from lianqi.accounts.models import User
from lianqi.cli import build_parser, main
from lianqi.core.roles import Role, role_codes
from lianqi.core.search import apply_search
from lianqi.demo import catalogue
from lianqi.demo.builder import (
    DEMO_PASSWORD,
    DemoExistsError,
    DemoSummary,
    build_demo,
    demo_logins,
    ensure_reference_data,
)
from lianqi.enterprises import creditcode
from lianqi.enterprises.choices import EnterpriseKind, EnterpriseStatus
from lianqi.enterprises.models import Contact, Enterprise, Tag, YearFigure
from lianqi.inspections import checks
from lianqi.liaisons.models import LiaisonChange
from lianqi.org.choices import StaffTier
from lianqi.org.models import Department, Jurisdiction, Staff
from lianqi.org.validators import MOBILE_RE, parse_industry_prefixes
from lianqi.policies.subjects import enterprise_records

SMALL = 0.05
TODAY = dt.date(2025, 6, 30)
MAIN_PATH = "430000/430300/430371/"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def reference_data(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The full industry table takes seconds to load: load it once for the module, inside a
    transaction that is rolled back at the end, so other modules never see it."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def small(reference_data: Any, db: Any) -> DemoSummary:
    return build_demo(scale=SMALL, seed=11, today=TODAY, policies=False)


def main_park_enterprises() -> Any:
    return Enterprise.objects.filter(jurisdiction_path__startswith=MAIN_PATH)


def test_counts_per_kind_follow_seed_001(small: DemoSummary) -> None:
    counts = Counter(main_park_enterprises().values_list("kind", flat=True))
    for kind, at_full_scale in catalogue.MAIN_PARK.kinds.items():
        assert counts[kind] == max(1, round(at_full_scale * SMALL)), kind
    # The seed's order of magnitude: below-size firms are the largest group, projects the smallest.
    assert counts[EnterpriseKind.BELOW_SIZE] == max(counts.values())
    assert counts[EnterpriseKind.PROJECT] == min(counts.values())
    assert small.parks[catalogue.MAIN_PARK.name] == {k: counts[k] for k in EnterpriseKind.values}


def test_every_credit_code_is_valid_and_unique(small: DemoSummary) -> None:
    rows = list(Enterprise.objects.values_list("credit_code", "kind"))
    assert len(rows) == small.enterprises > 0
    assert len({code for code, _ in rows}) == len(rows)
    for code, kind in rows:
        assert creditcode.is_valid(code), code
        assert uscc.is_valid(code), code  # an independent implementation of GB 32100
        assert code[:2] == ("92" if kind == EnterpriseKind.INDIVIDUAL else "91"), code
        assert code[2:6] == "4303", code


def test_tags_live_in_their_jurisdictions(small: DemoSummary) -> None:
    national = {name for name, _ in catalogue.TAGS}
    assert set(Tag.objects.filter(jurisdiction__isnull=True).values_list("name", flat=True)) == national
    city = Tag.objects.filter(jurisdiction__code=catalogue.CITY[0])
    assert set(city.values_list("name", flat=True)) == {name for name, _ in catalogue.CITY_TAGS}
    for spec in (catalogue.MAIN_PARK, *catalogue.OTHER_PARKS):
        own = Tag.objects.filter(jurisdiction__code=spec.code).values_list("name", flat=True)
        assert set(own) == {name for name, _text, _odds in spec.tags}, spec.short_name
    # Two parks each keep a tag of one name, neither seeing the other's.
    assert Tag.objects.filter(name="亩均效益A类企业").count() == 2
    for enterprise in Enterprise.objects.prefetch_related("tags"):
        for tag in enterprise.tags.all():
            assert tag.applies_to(enterprise.jurisdiction_path), (enterprise.name, tag.name)
    assert main_park_enterprises().filter(tags__jurisdiction__code=catalogue.MAIN_PARK.code).exists()
    assert main_park_enterprises().filter(tags__jurisdiction__code=catalogue.CITY[0]).exists()


def test_every_active_enterprise_is_covered_with_history(small: DemoSummary) -> None:
    active = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
    assert active.exists()
    assert not active.filter(liaison__isnull=True).exists()
    for enterprise in active.select_related("liaison"):
        assert enterprise.liaison is not None and enterprise.liaison.is_active
        assert enterprise.jurisdiction_path.startswith(enterprise.liaison.jurisdiction_path)
    changed = set(LiaisonChange.objects.values_list("enterprise_id", flat=True))
    assert changed >= set(active.values_list("pk", flat=True))
    assert small.covered == active.count()


def test_main_park_has_27_departments_and_tiered_staff(small: DemoSummary) -> None:
    departments = Department.objects.filter(jurisdiction__code=catalogue.MAIN_PARK.code)
    assert departments.count() == 27
    assert {"自然资源和规划分局", "税务分局", "市场监督管理分局", "供电公司", "消防救援大队"} <= set(
        departments.values_list("name", flat=True)
    )
    # Prefixes must pass the department form's own check, or the page could not save them.
    owners = [d for d in departments if d.industry_prefixes]
    assert len(owners) >= 10
    for department in owners:
        assert parse_industry_prefixes(department.industry_prefixes)
    staff = Staff.objects.filter(jurisdiction__code=catalogue.MAIN_PARK.code)
    tiers = Counter(staff.values_list("tier", flat=True))
    assert tiers[StaffTier.LEADER] >= 2
    assert tiers[StaffTier.MIDDLE] >= 27  # a head for every department
    assert set(departments.values_list("pk", flat=True)) <= set(
        staff.filter(tier=StaffTier.MIDDLE).values_list("department_id", flat=True)
    )
    for phone in Staff.objects.values_list("phone", flat=True):
        assert MOBILE_RE.match(phone), phone
    assert Jurisdiction.objects.filter(parent__code=catalogue.MAIN_PARK.code, level="township").count() == 3


def test_enterprise_details_are_complete(small: DemoSummary) -> None:
    for enterprise in Enterprise.objects.prefetch_related("contacts", "year_figures", "tags"):
        contacts = list(enterprise.contacts.all())
        assert 1 <= len(contacts) <= 3
        assert sum(c.is_primary for c in contacts) == 1
        assert all(MOBILE_RE.match(c.phone) for c in contacts)
        years = sorted(f.year for f in enterprise.year_figures.all())
        if enterprise.kind == EnterpriseKind.PROJECT:
            assert years == []
        else:
            assert years == [TODAY.year - 3, TODAY.year - 2, TODAY.year - 1]
        tags = {t.name for t in enterprise.tags.all()}
        if "规上工业" in tags:
            assert enterprise.kind == EnterpriseKind.ABOVE_SIZE
        assert enterprise.address.startswith("湖南省")
        assert enterprise.founded_on is not None and enterprise.founded_on < TODAY
    assert {name for name, _ in catalogue.TAGS} <= set(Tag.objects.values_list("name", flat=True))
    above = main_park_enterprises().filter(kind=EnterpriseKind.ABOVE_SIZE)
    below = main_park_enterprises().filter(kind=EnterpriseKind.BELOW_SIZE)
    revenue = {
        kind: [f.revenue or 0 for f in YearFigure.objects.filter(enterprise__in=qs, year=TODAY.year - 1)]
        for kind, qs in (("above", above), ("below", below))
    }
    # 规上 means a yearly revenue of at least 20 million yuan (2000 万元); 规下 below it.
    assert min(revenue["above"]) >= 2000 > max(revenue["below"])


def test_bulk_rows_match_what_save_would_write(small: DemoSummary) -> None:
    enterprise = main_park_enterprises().filter(kind=EnterpriseKind.ABOVE_SIZE).first()
    assert enterprise is not None
    stored = (enterprise.search_text, enterprise.jurisdiction_path)
    enterprise.save()
    enterprise.refresh_from_db()
    assert (enterprise.search_text, enterprise.jurisdiction_path) == stored
    assert enterprise in apply_search(Enterprise.objects.all(), enterprise.name[2:8])
    assert enterprise.history.count() == 2  # created by the demo, then saved here


def test_one_login_per_role_that_logs_in(small: DemoSummary) -> None:
    assert sorted(login.role for login in small.logins) == sorted(Role.values)
    assert demo_logins() == small.logins
    for login in small.logins:
        client = Client()
        response = client.post(reverse("login"), {"username": login.username, "password": login.password})
        assert response.status_code == 302, login.username
        user = User.objects.get(username=login.username)
        assert int(client.session["_auth_user_id"]) == user.pk
        assert login.role in role_codes(user)


def test_logins_are_bound_to_fitting_people_and_firms(small: DemoSummary) -> None:
    users = {u.username: u for u in User.objects.select_related("staff", "enterprise", "jurisdiction")}
    enterprise_user = users["enterprise"]
    assert enterprise_user.enterprise is not None
    assert enterprise_user.enterprise.jurisdiction_path.startswith(MAIN_PATH)
    liaison = users["liaison"].staff
    assert liaison.tier == StaffTier.STAFF
    assert Enterprise.objects.filter(liaison=liaison).count() >= 1
    assert users["leader"].staff.tier == StaffTier.LEADER
    assert users["handler"].staff.department is not None
    office_department = users["office"].staff.department
    assert office_department is not None and office_department.name == catalogue.SERVICE_OFFICE
    assert users["bank"].institution
    assert users["admin"].is_superuser
    for name in ("leader", "office", "handler", "liaison", "enterprise", "bank"):
        jurisdiction = users[name].jurisdiction
        assert jurisdiction is not None and jurisdiction.path.startswith(MAIN_PATH)


def test_the_main_park_spares_its_class_a_firms_routine_inspections(small: DemoSummary) -> None:
    """无事不扰 in the demo: the service office keeps credit class A firms out of routine
    inspections, and the register refuses a planned one for them (complaints still go)."""
    settings = checks.settings_for(MAIN_PATH)
    assert settings is not None and settings.quiet_note == "信用A级（诚信）企业"
    firms = list(main_park_enterprises().values_list("pk", flat=True))
    spared = checks.quiet_by_rule_ids(MAIN_PATH, firms, TODAY)
    classes = {r["id"]: r.get("credit_class") for r in enterprise_records(main_park_enterprises())}
    assert spared == {pk for pk, grade in classes.items() if grade == "A"}


def test_a_second_build_is_refused(small: DemoSummary) -> None:
    with pytest.raises(DemoExistsError):
        build_demo(scale=SMALL, seed=11, today=TODAY, policies=False)


def _digest() -> str:
    """Everything a user sees of the demo, in insertion order, without ids and secrets."""
    parts: list[Any] = [
        list(Jurisdiction.objects.order_by("pk").values_list("code", "name", "path")),
        list(
            Department.objects.order_by("pk").values_list("name", "industry_prefixes", "jurisdiction__code")
        ),
        list(
            Staff.objects.order_by("pk").values_list("name", "department__name", "position", "tier", "phone")
        ),
        list(
            Enterprise.objects.order_by("pk").values_list(
                "credit_code",
                "name",
                "kind",
                "status",
                "industry_id",
                "address",
                "founded_on",
                "registered_capital",
                "employees",
                "liaison__name",
                "jurisdiction__code",
            )
        ),
        list(
            Enterprise.tags.through.objects.order_by("pk").values_list("enterprise__credit_code", "tag__name")
        ),
        list(Contact.objects.order_by("pk").values_list("enterprise__credit_code", "name", "title", "phone")),
        list(
            YearFigure.objects.order_by("pk").values_list("enterprise__credit_code", "year", "revenue", "tax")
        ),
        list(User.objects.order_by("pk").values_list("username", "staff__name", "enterprise__credit_code")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _build_and_digest(seed: int) -> str:
    with transaction.atomic():
        build_demo(scale=0.03, seed=seed, today=TODAY, policies=False)
        digest = _digest()
        transaction.set_rollback(True)
    return digest


@pytest.mark.django_db
def test_same_seed_gives_the_same_demo(reference_data: Any) -> None:
    first = _build_and_digest(7)
    assert not Enterprise.objects.exists()
    assert _build_and_digest(7) == first
    assert _build_and_digest(8) != first


@pytest.mark.django_db
def test_full_scale_matches_seed_001(reference_data: Any) -> None:
    # The demands have their own full-scale tests (test_demo_demands.py); here the register.
    summary = build_demo(seed=2022, demands=False, policies=False)
    main = summary.parks[catalogue.MAIN_PARK.name]
    assert 1150 <= sum(main.values()) <= 1250  # 近1200家市场主体
    staff = Staff.objects.filter(jurisdiction__code=catalogue.MAIN_PARK.code).count()
    assert 450 <= staff <= 550  # 近500名一对一专属服务员
    assert (
        Staff.objects.filter(jurisdiction__code=catalogue.MAIN_PARK.code, tier=StaffTier.LEADER).count() == 10
    )
    for park in catalogue.OTHER_PARKS:
        assert 120 <= sum(summary.parks[park.name].values()) <= 180
    assert not Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE, liaison__isnull=True).exists()
    if summary.industry_classes_loaded:
        firms = main_park_enterprises().filter(
            kind__in=[EnterpriseKind.ABOVE_SIZE, EnterpriseKind.BELOW_SIZE]
        )
        codes = Counter(firms.values_list("industry_id", flat=True))
        # The seeds' industries lead: vehicle parts, medical devices, wire and cable.
        assert {"3670", "3584", "3831"} <= {code for code, _ in codes.most_common(6)}


@pytest.mark.django_db
def test_demo_command_builds_once_and_prints_logins(reference_data: Any) -> None:
    out = _call("demo", "--scale", "0.02", "--seed", "3")
    assert "leader" in out and DEMO_PASSWORD in out and "湘潭高新技术产业开发区" in out
    # In Chinese by default, one language throughout; each park with its departments.
    assert "领导" in out and "用户名" in out and "Demands" not in out and "departments" not in out
    for park in (catalogue.MAIN_PARK, *catalogue.OTHER_PARKS):
        departments = Department.objects.filter(jurisdiction__code=park.code).count()
        assert f"  {park.name}：{departments} 个部门，" in out
    with pytest.raises(CommandError):
        _call("demo", "--scale", "0.02")
    with pytest.raises(CommandError):
        _call("demo", "--scale", "0")


@pytest.mark.django_db
def test_demo_command_prints_its_log_in_english_when_asked(reference_data: Any) -> None:
    out = _call("demo", "--scale", "0.02", "--seed", "3", "--language", "en")
    assert "Leader" in out and "Username" in out and "In all" in out
    # Only names (of parks, people, enterprises, policies' own terms) stay in Chinese.
    for chinese in ("个部门", "家企业", "诉求", "用户名", "领导", "合计", "其中"):
        assert chinese not in out
    main_park = catalogue.MAIN_PARK
    departments = Department.objects.filter(jurisdiction__code=main_park.code).count()
    assert f"  {main_park.name}: {departments} departments, " in out
    with pytest.raises(CommandError):
        _call("demo", "--scale", "0.02", "--language", "fr", "--reset")


def _call(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_cli_lists_its_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    text = capsys.readouterr().out
    assert "demo" in text and "manage" in text
    args = build_parser().parse_args(["demo", "--port", "8765", "--no-serve"])
    assert (args.port, args.no_serve, args.host) == (8765, True, "127.0.0.1")


def test_lianqi_demo_prepares_a_fresh_database(tmp_path: Path) -> None:
    """`lianqi demo --no-serve` on an empty SQLite file: migrate, build, print the logins."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["LIANQI_VAR_DIR"] = str(tmp_path)
    run = [sys.executable, "-m", "lianqi.cli", "demo", "--no-serve", "--scale", "0.02", "--port", "8765"]
    first = subprocess.run(run, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "lianqi.sqlite3").exists()
    assert "http://127.0.0.1:8765/" in first.stdout
    assert "office" in first.stdout and DEMO_PASSWORD in first.stdout
    assert "已有" not in first.stdout and "个部门" in first.stdout
    second = subprocess.run(
        [*run, "--language", "en"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert second.returncode == 0, second.stderr
    assert "already" in second.stdout and "handler" in second.stdout and "用户名" not in second.stdout


def test_manage_passes_through(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["manage", "import_industries", "--help"])
    assert exit_info.value.code == 0
    assert "GB/T 4754" in capsys.readouterr().out
