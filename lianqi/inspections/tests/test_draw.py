"""A random draw from the app's pools registers the drawn inspections and publishes a document
that the stand-alone verifier accepts."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lianqi.enterprises.models import Enterprise
from lianqi.testing.world import make_enterprise

from .. import actions, drawing
from ..choices import Trigger
from ..draw import Outcome, verify
from ..models import InspectionDraw, QuietPeriod
from .factories import PLANNED, make_inspector

pytestmark = pytest.mark.django_db


def test_draw_registers_inspections_and_publishes_a_verifiable_document(world, tmp_path):
    for n in range(4):
        make_enterprise(world.home.park, f"抽查企业{n}有限公司")
    inspectors = [make_inspector(world.home, n) for n in range(1, 5)]
    row = actions.run_draw(
        department=world.home.department,
        task="2025 年第一批安全生产随机抽查",
        legal_basis="《安全生产法》",
        planned_on=PLANNED,
        enterprise_count=3,
        team_size=2,
        actor=world.user("service_office"),
    )
    drawn = list(row.inspections.all())
    assert len(drawn) == 3 and {r.trigger for r in drawn} == {Trigger.DRAW}
    assert all(set(r.inspectors.all()) <= set(inspectors) and r.inspectors.count() == 2 for r in drawn)
    assert verify(row.document).outcome == Outcome.VERIFIED
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(row.document, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "lianqi.inspections.draw.verify", str(path)], capture_output=True
    )
    assert done.returncode == 0


def test_a_draw_the_pools_cannot_serve_is_refused_by_field(world):
    make_inspector(world.home, 1)
    make_inspector(world.home, 2)
    with pytest.raises(ValidationError) as refused:
        actions.run_draw(
            department=world.home.department,
            task="抽查",
            legal_basis="依据",
            planned_on=PLANNED,
            enterprise_count=50,
            team_size=2,
            actor=world.user("service_office"),
        )
    assert "enterprise_count" in refused.value.message_dict


def test_the_office_runs_a_draw_on_the_page_and_anyone_downloads_a_verifiable_document(world, tmp_path):
    from django.test import Client
    from django.urls import reverse

    for n in range(3):
        make_enterprise(world.home.park, f"抽查企业{n}有限公司")
    for n in range(1, 4):
        make_inspector(world.home, n)
    office = Client()
    office.force_login(world.user("service_office"))
    data = {
        "department": world.home.department.pk,
        "task": "第一批抽查",
        "legal_basis": "《安全生产法》",
        "planned_on": "2025-03-12",
        "enterprise_count": 99,
        "team_size": 2,
    }
    url = reverse("inspections:draw_create")
    assert "enterprise_count" in office.post(url, data).context["form"].errors
    # Another park's department is not offered: a field message, nothing drawn.
    assert (
        "department"
        in office.post(url, {**data, "department": world.other.department.pk}).context["form"].errors
    )
    response = office.post(url, {**data, "enterprise_count": 2})
    assert response.status_code == 302
    document = Client().get(response["Location"], {"format": "json"})
    path = tmp_path / "draw.json"
    path.write_bytes(document.content)
    done = subprocess.run(
        [sys.executable, "-m", "lianqi.inspections.draw.verify", str(path)], capture_output=True
    )
    assert done.returncode == 0, done.stdout


def test_an_announced_draw_publishes_the_commitment_then_the_draw_reveals_a_verifiable_seed(world):
    from django.test import Client
    from django.urls import reverse

    from lianqi.inspections.draw import commitment

    for n in range(4):
        make_enterprise(world.home.park, f"公告企业{n}有限公司")
    for n in range(1, 5):
        make_inspector(world.home, n)
    office = Client()
    office.force_login(world.user("service_office"))
    response = office.post(
        reverse("inspections:draw_create"),
        {
            "department": world.home.department.pk,
            "task": "2025 年第二批随机抽查",
            "legal_basis": "《安全生产法》",
            "planned_on": PLANNED.isoformat(),
            "enterprise_count": 2,
            "team_size": 2,
            "announce_only": "on",
        },
    )
    assert response.status_code == 302
    row = InspectionDraw.objects.get()
    # Announced: fingerprint and commitment public, no seed, no result, nothing registered.
    public = Client().get(row.get_absolute_url()).content.decode()
    assert row.commitment in public and row.fingerprint in public and 'data-testid="announced"' in public
    assert row.seed not in public and "perform-draw" not in public
    assert "seed" not in row.document and not row.inspections.exists()
    announcement = Client().get(row.get_absolute_url(), {"format": "json"}).content
    assert verify(json.loads(announcement)).outcome == Outcome.VERIFIED
    # Another jurisdiction's office cannot draw it; this one's can, once.
    stranger = Client()
    stranger.force_login(world.other_user("service_office"))
    assert stranger.post(reverse("inspections:draw_perform", args=[row.pk])).status_code == 404
    assert "perform-draw" in office.get(row.get_absolute_url()).content.decode()
    office.post(reverse("inspections:draw_perform", args=[row.pk]), {"entropy": "双色球 2025031"})
    row.refresh_from_db()
    assert row.is_drawn and row.inspections.count() == 2
    assert commitment(bytes.fromhex(row.document["seed"])) == row.commitment
    assert row.document["fingerprint"] == json.loads(announcement)["fingerprint"]
    assert verify(row.document).outcome == Outcome.VERIFIED
    with pytest.raises(ValidationError):
        actions.perform_draw(draw_row=row, actor=world.user("service_office"))
    assert row.document["seed"] in Client().get(row.get_absolute_url()).content.decode()


def test_the_pools_leave_out_enterprises_in_a_quiet_period_with_queries_independent_of_their_number(
    world,
):
    make_inspector(world.home, 1)
    make_inspector(world.home, 2)

    def pool_after_adding(n: int) -> tuple[int, set[str]]:
        for k in range(n):
            firm = make_enterprise(world.home.park, f"免检企业{n}-{k}有限公司")
            QuietPeriod.objects.create(
                jurisdiction=world.home.park,
                enterprise=firm,
                starts_on=PLANNED - dt.timedelta(days=1),
                ends_on=PLANNED + dt.timedelta(days=1),
                reason="新落户企业",
            )
        with CaptureQueriesContext(connection) as captured:
            _pools, enterprises, _inspectors = drawing.pools_for(world.home.department, PLANNED)
        return len(captured), set(enterprises)

    few, pool_few = pool_after_adding(1)
    many, pool_many = pool_after_adding(6)
    quiet = set(QuietPeriod.objects.values_list("enterprise__credit_code", flat=True))
    assert not (pool_many & quiet) and pool_many == pool_few
    assert world.home.enterprise.credit_code in pool_many
    assert many == few
    assert Enterprise.objects.filter(credit_code__in=quiet).count() == 7
