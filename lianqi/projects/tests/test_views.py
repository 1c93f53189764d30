"""The pages of key projects: one shared contract per page (anonymous, a role that may not, the
other park — 404 for reads and writes —, a role that may), then what the pages show and do."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianqi.core.roles import Role
from lianqi.testing.contracts import ListExportContract, ListPageContract, ObjectPageContract
from lianqi.testing.world import World

from ..choices import Cadence, ProjectStage
from ..models import Meeting, MeetingSeries, Milestone, Problem, ProgressReport, Project
from ..permissions import EDITORS, MANAGERS, READERS
from .factories import NAME, category, make_project


def home_project(world: World) -> Project:
    """The home park's one project, made on first use (a contract asks for its URL many times)."""
    return Project.objects.filter(enterprise=world.home.enterprise).first() or make_project(world)


def home_meeting(world: World) -> Meeting:
    series = MeetingSeries.objects.get_or_create(
        jurisdiction=world.home.park, name="重点项目周调度", defaults={"cadence": Cadence.WEEKLY}
    )[0]
    return Meeting.objects.filter(series=series).first() or Meeting.objects.create(
        series=series, jurisdiction=world.home.park, held_on=timezone.localdate()
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestListContract(ListPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        home_project(world)
        return reverse("projects:list")


class TestExportContract(ListExportContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        home_project(world)
        return reverse("projects:export")


class TestDetailContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("projects:detail", args=[home_project(world).pk])


class TestBattleMapContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("projects:battle_map", args=[home_project(world).pk])


class TestReportFormContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("projects:report", args=[home_project(world).pk])


class TestReportPostContract(ObjectPageContract):
    method = "post"
    ok_statuses = (200, 302)
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("projects:report", args=[home_project(world).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {
            "report-expected_version": home_project(world).version,
            "report-period": timezone.localdate().strftime("%Y-%m"),
            "report-invested": "1.00",
            "report-progress": "场平",
        }


class TestStepContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = EDITORS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("projects:step", args=[home_project(world).pk, "obtain_land"])

    def data(self, world: World) -> dict[str, Any]:
        return {"obtain_land-expected_version": home_project(world).version, "obtain_land-on": "2025-02-01"}


class TestMilestonePostContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = EDITORS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("projects:milestone_create", args=[home_project(world).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {
            "milestone-expected_version": home_project(world).version,
            "milestone-name": "土地摘牌",
            "milestone-planned_start": "2025-02-01",
            "milestone-planned_end": "2025-03-01",
        }


class TestMilestoneDatesContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = EDITORS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        project = home_project(world)
        milestone = project.milestones.first() or Milestone.objects.create(
            project=project, name="开工", planned_start=dt.date(2025, 3, 1), planned_end=dt.date(2025, 4, 1)
        )
        return reverse("projects:milestone_dates", args=[milestone.pk])


class TestReferContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = EDITORS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        project = home_project(world)
        problem = project.issues.first() or Problem.objects.create(
            project=project, description="施工用电未接入"
        )
        return reverse("projects:refer_problem", args=[problem.pk])


class TestDashboardContract(ListPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        home_project(world).milestones.create(
            name="主体封顶", planned_start=dt.date(2025, 1, 1), planned_end=dt.date(2025, 2, 1)
        )
        return reverse("projects:dashboard") + "?year=2025"

    def marker(self, world: World) -> str:
        return NAME


class TestMeetingContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("projects:meeting", args=[home_meeting(world).pk])


class TestMeetingCreateContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("projects:meeting_create", args=[home_meeting(world).series_id])


class TestDecisionPostContract(ObjectPageContract):
    method = "post"
    ok_statuses = (200, 302)
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("projects:meeting", args=[home_meeting(world).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {
            "project": home_project(world).pk,
            "text": "协调施工用电",
            "category": category().pk,
            "department": world.home.department.pk,
            "workdays": 10,
        }


class TestEnterpriseSectionContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        home_project(world)
        return reverse("projects:enterprise_section", args=[world.home.enterprise.pk])


def test_the_export_keeps_amounts_to_the_fen(world: World) -> None:
    make_project(world, total_investment=Decimal("232900000.37"), year_plan=Decimal("12345.67"))
    response = client_for(world.user(Role.LEADER)).get(reverse("projects:export"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert Decimal(str(row[header.index("总投资（元）")])) == Decimal("232900000.37")
    assert Decimal(str(row[header.index("年度计划投资（元）")])) == Decimal("12345.67")


def test_the_list_filters_by_stage(world: World) -> None:
    make_project(world, name="已开工项目", state=ProjectStage.STARTED)
    make_project(world, name="刚签约项目")
    page = (
        client_for(world.user(Role.LEADER))
        .get(reverse("projects:list"), {"state": "started"})
        .content.decode()
    )
    assert "已开工项目" in page and "刚签约项目" not in page


def test_a_project_is_registered_with_field_errors_kept(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    data = {
        "name": "特种电缆二期",
        "owner_name": "",
        "kind": "industrial",
        "level": "city",
        "department": world.home.department.pk,
        "leader": "王主任",
        "total_investment": "1000.00",
        "plan_year": 2025,
        "year_plan": "2000.00",
        "signed_on": "2025-01-05",
    }
    url = reverse("projects:create") + f"?enterprise={world.home.enterprise.pk}"
    page = client.post(url, data).content.decode()
    assert 'data-error-for="year_plan"' in page and "特种电缆二期" in page
    response = client.post(url, {**data, "year_plan": "500.55"})
    row = Project.objects.get(name="特种电缆二期")
    assert response["Location"] == row.get_absolute_url() and row.year_plan == Decimal("500.55")


def test_a_report_for_a_closed_month_is_refused_next_to_the_field(world: World) -> None:
    row = make_project(world)
    response = client_for(world.user(Role.ENTERPRISE)).post(
        reverse("projects:report", args=[row.pk]),
        {
            "report-expected_version": row.version,
            "report-period": "2020-01",
            "report-invested": "100.10",
            "report-progress": "基础施工",
        },
    )
    page = response.content.decode()
    assert 'data-error-for="period"' in page and "基础施工" in page
    assert not ProgressReport.objects.exists()


def test_the_battle_map_marks_a_slipped_milestone_in_red(world: World) -> None:
    row = make_project(world)
    row.milestones.create(name="主体封顶", planned_start=dt.date(2025, 1, 1), planned_end=dt.date(2025, 2, 1))
    page = (
        client_for(world.user(Role.LEADER))
        .get(reverse("projects:battle_map", args=[row.pk]))
        .content.decode()
    )
    days = (timezone.localdate() - dt.date(2025, 2, 1)).days
    assert "gantt-bar gantt-slipped" not in page  # not started: only the planned bar, named late in red
    assert f'data-slipped="{days}"' in page and "text-red" in page


def test_the_leader_s_home_shows_this_year_s_completion(world: World) -> None:
    today = timezone.localdate()
    row = make_project(world, plan_year=today.year, year_plan=Decimal("1000.00"))
    ProgressReport.objects.create(
        project=row,
        period=today.replace(day=1),
        invested=Decimal("250.10"),
        year_to_date=Decimal("250.10"),
        progress="x",
    )
    make_project(world, side=world.other, plan_year=today.year, year_plan=Decimal("1000.00"))
    page = client_for(world.user(Role.LEADER)).get(reverse("home")).content.decode()
    assert "重点项目投资完成率" in page and "25.01%" in page


def test_a_meeting_series_is_set_up_for_the_own_jurisdiction(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("projects:series_list")
    assert 'data-error-for="name"' in client.post(url, {"name": " ", "cadence": "weekly"}).content.decode()
    assert client.post(url, {"name": "重点项目旬调度", "cadence": "ten_day"}).status_code == 302
    series = MeetingSeries.objects.get(name="重点项目旬调度")
    assert (series.jurisdiction, series.cadence) == (world.home.park, Cadence.TEN_DAY)
    other = client_for(world.other_user(Role.SERVICE_OFFICE)).get(url).content.decode()
    assert "重点项目旬调度" not in other


class TestMilestoneTemplateContract(ObjectPageContract):
    method = "post"
    ok_statuses = (200, 302)
    allowed_roles = EDITORS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("projects:milestone_template", args=[home_project(world).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {"template-expected_version": home_project(world).version, "template-start": "2025-03-01"}


def test_the_meeting_shows_demands_escalated_to_it_still_waiting(world: World) -> None:
    from lianqi.demands.choices import DemandState, Venue
    from lianqi.demands.tests.factories import make_demand

    waiting = make_demand(
        world, DemandState.ESCALATED, venue=Venue.DISPATCH_MEETING, description="厂区道路未通"
    )
    make_demand(world, DemandState.ESCALATED, venue=Venue.EXPERT, description="专家论证环评")
    meeting = home_meeting(world)
    page = (
        client_for(world.user(Role.LEADER))
        .get(reverse("projects:meeting", args=[meeting.pk]))
        .content.decode()
    )
    assert "厂区道路未通" in page and "专家论证环评" not in page
    assert reverse("demands:detail", args=[waiting.pk]) in page
