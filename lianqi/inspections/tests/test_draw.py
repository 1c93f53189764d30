"""A random draw from the app's pools registers the drawn inspections and publishes a document
that the stand-alone verifier accepts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError

from lianqi.testing.world import make_enterprise

from .. import actions
from ..choices import Trigger
from ..draw import Outcome, verify
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
