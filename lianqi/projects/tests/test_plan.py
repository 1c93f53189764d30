"""Revising a project's plan from its page: the new total and yearly plan to the fen, with the
reason in the history and completion counted against the new plan; a plan above the total, a
total below what is already reported, or no reason is refused next to its field; another park's
project answers 404; an owner enterprise may not revise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.testing.world import World

from .. import queries
from ..choices import ProjectAction
from ..models import ProgressReport, Project
from .factories import make_project


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def revise(client: Client, row: Project, total: str, plan: str, reason: str = "追加二期产线") -> Any:
    return client.post(
        reverse("projects:plan", args=[row.pk]),
        {
            "plan-expected_version": row.version,
            "plan-total_investment": total,
            "plan-year_plan": plan,
            "plan-reason": reason,
        },
    )


def test_the_plan_is_revised_with_its_reason(world: World) -> None:
    row = make_project(world)
    ProgressReport.objects.create(
        project=row,
        period=dt.date(2025, 5, 1),
        invested=Decimal("60000000.00"),
        year_to_date=Decimal("60000000.00"),
    )
    client = client_for(world.user(Role.LEADER))
    page = client.get(row.get_absolute_url()).content.decode()
    assert 'data-testid="plan-form"' in page and 'value="120000000.00"' in page
    response = revise(client, row, "650000000.01", "150000000.00")
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.total_investment, row.year_plan, row.version) == (
        Decimal("650000000.01"),
        Decimal("150000000.00"),
        2,
    )
    event = row.events.get(action=ProjectAction.REVISE_PLAN)
    assert "500,000,000.00 → 650,000,000.01" in event.note and "追加二期产线" in event.note
    [figures] = queries.figures([row], timezone.localdate())
    assert figures.completion == Decimal("40.00")  # 60m of the new 150m


@pytest.mark.parametrize(
    ("total", "plan", "reason", "field"),
    [
        ("100000000.00", "120000000.00", "x", "year_plan"),  # the plan above the total
        ("50000000.00", "10000000.00", "x", "total_investment"),  # below the 60m reported
        ("600000000.00", "-1", "x", "year_plan"),
        ("600000000.00", "130000000.00", "", "reason"),
    ],
)
def test_a_bad_revision_is_refused_next_to_its_field(
    world: World, total: str, plan: str, reason: str, field: str
) -> None:
    row = make_project(world)
    ProgressReport.objects.create(
        project=row,
        period=dt.date(2025, 5, 1),
        invested=Decimal("60000000.00"),
        year_to_date=Decimal("60000000.00"),
    )
    response = revise(client_for(world.user(Role.SERVICE_OFFICE)), row, total, plan, reason)
    assert response.status_code == 200
    assert f'data-error-for="{field}"' in response.content.decode()
    row.refresh_from_db()
    assert (row.total_investment, row.version) == (Decimal("500000000.00"), 1)


def test_only_the_park_s_editors_may_revise(world: World) -> None:
    row = make_project(world)
    assert revise(client_for(world.other_user(Role.LEADER)), row, "1.00", "1.00").status_code == 404
    assert revise(client_for(world.user(Role.ENTERPRISE)), row, "1.00", "1.00").status_code in (403, 404)
    row.refresh_from_db()
    assert row.version == 1
