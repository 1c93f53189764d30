"""The month's analysis as a Word document (项目月报): the dashboard's figures as they stood at
the month's end, read back from the .docx a leader downloads, and only the leader's own park."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from docx import Document

from lianqi.core.roles import Role
from lianqi.testing.contracts import ListPageContract
from lianqi.testing.world import World

from ..actions import meetings, reports
from ..choices import Cadence
from ..models import ProgressReport, Project
from ..permissions import MANAGERS
from .factories import AT, NAME, category, make_project


def document_text(response: Any) -> str:
    """Every paragraph and table cell of a downloaded .docx, one per line."""
    document = Document(io.BytesIO(response.content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend("\t".join(cell.text for cell in row.cells) for row in table.rows)
    return "\n".join(lines)


class _DocumentAsText:
    """A .docx response seen as its text, so the list contract looks for its marker in it."""

    def __init__(self, response: Any) -> None:
        self.status_code = response.status_code
        self._response = response
        self.content = response.content
        if self.status_code == 200:
            self.content = document_text(response).encode()

    def __getitem__(self, key: str) -> str:
        return str(self._response[key])


class TestMonthlyReportContract(ListPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        if not Project.objects.filter(name=NAME).exists():
            make_project(world).milestones.create(  # slipped, so the project is named
                name="主体封顶", planned_start=dt.date(2025, 1, 1), planned_end=dt.date(2025, 2, 1)
            )
        return reverse("projects:monthly_report") + "?year=2025&month=6"

    def request(self, client: Client, world: World) -> Any:
        return _DocumentAsText(super().request(client, world))

    def marker(self, world: World) -> str:
        return NAME


def report(project: Project, month: int, invested: str) -> None:
    ProgressReport.objects.create(
        project=project,
        period=dt.date(2025, month, 1),
        invested=Decimal(invested),
        year_to_date=Decimal(invested),
        progress="主体结构施工",
    )


def download(world: World, month: int, role: str = Role.LEADER, other: bool = False) -> str:
    client = Client()
    client.force_login(world.other_user(role) if other else world.user(role))
    response = client.get(reverse("projects:monthly_report"), {"year": 2025, "month": month})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f"projects-2025-{month:02d}.docx")
    return document_text(response)


def test_the_month_s_figures_are_in_the_document(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    row = make_project(world, year_plan=Decimal("600000.00"))
    row.milestones.create(name="主体封顶", planned_start=dt.date(2025, 3, 1), planned_end=dt.date(2025, 5, 1))
    report(row, 5, "200000.10")
    report(row, 6, "100000.23")
    series = meetings.create_series(
        actor=office, jurisdiction=world.home.park, name="重点项目周调度", cadence=Cadence.WEEKLY
    )
    meeting = meetings.hold_meeting(series=series, actor=office, held_on=dt.date(2025, 6, 9), at=AT)
    meetings.decide(
        meeting=meeting,
        actor=office,
        project=row,
        text="协调供电公司两周内接入施工用电",
        category=category(),
        department=world.home.department,
        workdays_limit=10,
        at=AT,
    )
    problem = row.issues.create(description="施工用水未接入")
    reports.refer_problem(problem=problem, actor=office, category=category(), at=AT)

    may = download(world, 5)
    assert f"{world.home.park.name}重点项目2025年5月分析报告" in may
    # Only May's report counts at the end of May: 200,000.10 of 600,000.00 is 33.33 %.
    assert "1\t600,000.00\t200,000.10\t33.33%" in may
    assert "张副主任\t1\t600,000.00\t200,000.10\t33.33%" in may
    # The milestone due on 1 May is 30 days late on 31 May.
    assert f"{NAME}\t张副主任\t1\t30" in may
    assert "协调供电公司两周内接入施工用电" in may and "已交办" in may
    assert "施工用水未接入" not in may  # referred in June

    june = download(world, 6)
    assert "1\t600,000.00\t300,000.33\t50.00%" in june
    assert f"{NAME}\t张副主任\t1\t60" in june
    assert "施工用水未接入" in june


def test_another_park_s_leader_gets_their_own_figures_only(world: World) -> None:
    report(make_project(world), 6, "1000.00")
    make_project(world, side=world.other, name="另一园区的项目", year_plan=Decimal("50000.00"))
    theirs = download(world, 6, other=True)
    assert world.other.park.name in theirs and "另一园区的项目" not in theirs  # no slippage: not listed
    assert "1\t50,000.00\t0.00\t0.00%" in theirs
    assert world.home.park.name not in theirs and "1,000.00" not in theirs


def test_a_bad_month_gives_the_current_month_not_an_error(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.LEADER))
    response = client.get(reverse("projects:monthly_report"), {"year": "x", "month": "13"})
    assert response.status_code == 200
    assert "分析报告" in document_text(response)
