"""Excel exports of the dashboard's tables and of the pipeline's leads: each a list contract
(the other park's export holds none of the home park's rows), and the figures the pages show,
to the fen."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianqi.core.roles import Role
from lianqi.testing.contracts import ListExportContract
from lianqi.testing.world import World

from ..choices import LeadStage
from ..models import ProgressReport, Project
from ..permissions import MANAGERS
from .factories import NAME, make_project
from .test_leads import NAME as LEAD_NAME
from .test_leads import make_lead


def slipped_project(world: World) -> Project:
    row = Project.objects.filter(name=NAME).first() or make_project(world)
    if not row.milestones.exists():
        row.milestones.create(
            name="主体封顶", planned_start=dt.date(2025, 1, 1), planned_end=dt.date(2025, 2, 1)
        )
    return row


class TestLeaderExportContract(ListExportContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        slipped_project(world)
        return reverse("projects:dashboard_export", args=["leaders"]) + "?year=2025"

    def marker(self, world: World) -> str:
        return "张副主任"


class TestSlippedExportContract(ListExportContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        slipped_project(world)
        return reverse("projects:dashboard_export", args=["slipped"]) + "?year=2025"

    def marker(self, world: World) -> str:
        return NAME


class TestPipelineExportContract(ListExportContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        make_lead(world, LeadStage.SIGNED)
        return reverse("projects:pipeline_export") + "?year=2025"

    def marker(self, world: World) -> str:
        return LEAD_NAME


def rows(world: World, url: str) -> list[tuple[object, ...]]:
    client = Client()
    client.force_login(world.user(Role.LEADER))
    response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_the_dashboard_s_tables_export_their_figures_to_the_fen(world: World) -> None:
    row = slipped_project(world)
    ProgressReport.objects.create(
        project=row,
        period=dt.date(2025, 5, 1),
        invested=Decimal("200000.10"),
        year_to_date=Decimal("200000.10"),
    )
    kinds = rows(world, reverse("projects:dashboard_export", args=["kinds"]) + "?year=2025")
    assert kinds[1][1:] == (1, 120000000.0, 200000.1, 0.17)
    assert str(kinds[1][0]) == row.get_kind_display()
    slipped = rows(world, reverse("projects:dashboard_export", args=["slipped"]) + "?year=2025")
    [(name, leader, count, days)] = slipped[1:]
    assert (name, leader, count) == (NAME, "张副主任", 1) and days == (
        timezone.localdate() - dt.date(2025, 2, 1)
    ).days


def test_an_unknown_table_is_404(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.LEADER))
    assert client.get(reverse("projects:dashboard_export", args=["salaries"])).status_code == 404


def test_the_pipeline_export_has_the_amount_and_dates(world: World) -> None:
    make_lead(world, LeadStage.SIGNED)
    [header, lead] = rows(world, reverse("projects:pipeline_export") + "?year=2025")
    assert header[:5] == ("项目名称", "投资方", "所属产业", "招商阶段", "签约金额（元）")
    assert lead[0] == LEAD_NAME and lead[4] == 150000000.0 and "签约日期" in header
