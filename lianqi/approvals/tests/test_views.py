"""Approvals' pages: one shared contract per page (anonymous, a role that may not, the other
park, a role that may), then what the pages show and do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.testing.contracts import ListPageContract, ObjectPageContract
from lianqi.testing.world import World

from ..choices import ItemState
from ..models import Chart, Run
from ..permissions import EDITORS, MANAGERS, READERS
from .factories import PROJECT, home_project, item_named, make_chart, make_run, make_run_item, run_item


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestListContract(ListPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def marker(self, world: World) -> str:
        return PROJECT

    def url(self, world: World) -> str:
        make_run(world)
        return reverse("approvals:list")


class TestDetailContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("approvals:detail", args=[make_run(world).pk])


class TestItemContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("approvals:item", args=[make_run_item(world).pk])


class TestStepContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("approvals:item_step", args=[make_run_item(world, ItemState.SUBMITTED).pk, "accept"])

    def data(self, world: World) -> dict[str, Any]:
        return {"accept-expected_version": 1, "accept-on": timezone.localdate().isoformat()}


class TestProjectContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        make_chart(world) if not Chart.objects.filter(jurisdiction=world.home.park).exists() else None
        return reverse("approvals:project", args=[home_project(world).pk])


class TestChartListContract(ListPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def marker(self, world: World) -> str:
        return world.home.park.name

    def url(self, world: World) -> str:
        if not Chart.objects.filter(jurisdiction=world.home.park).exists():
            make_chart(world)
        return reverse("approvals:charts")


class TestChartContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        chart = Chart.objects.filter(jurisdiction=world.home.park).first() or make_chart(world)
        return reverse("approvals:chart", args=[chart.pk])


class TestPrerequisitesContract(ObjectPageContract):
    allowed_roles = EDITORS
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        chart = Chart.objects.filter(jurisdiction=world.home.park).first() or make_chart(world)
        return reverse("approvals:prerequisites", args=[item_named(chart, "建筑工程施工许可证").pk])


class TestEnterpriseSectionContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        make_run(world)
        return reverse("approvals:enterprise_section", args=[world.home.enterprise.pk])


def test_the_public_guide_needs_no_account_and_shows_the_three_lists(world: World) -> None:
    chart = make_chart(world)
    page = Client().get(reverse("approvals:guide", args=[chart.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for testid in ("diagram", "items-list", "implementation-list", "materials-list", "critical-path"):
        assert f'data-testid="{testid}"' in text
    assert "规划设计条件论证报告" in text and "自然资源局" in text
    assert "企业投资项目备案 → 用地预审与选址意见书 → 建筑工程施工许可证" in text
    assert Client().get(reverse("approvals:guide", args=[chart.pk + 99])).status_code == 404


def test_a_project_s_run_is_started_from_its_page(world: World) -> None:
    make_chart(world)
    project = home_project(world)
    url = reverse("approvals:project", args=[project.pk])
    office = client_for(world.user(Role.SERVICE_OFFICE))
    assert 'data-testid="start-run"' in office.get(url).content.decode()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    refused = office.post(url, {"on": future})
    assert refused.status_code == 200 and 'data-error-for="on"' in refused.content.decode()
    assert not Run.objects.exists()
    response = office.post(url, {"on": timezone.localdate().isoformat()})
    run = Run.objects.get(project=project)
    assert response["Location"] == run.get_absolute_url()
    assert office.get(url)["Location"] == run.get_absolute_url()
    leader = client_for(world.user(Role.LEADER)).get(reverse("approvals:project", args=[project.pk]))
    assert leader.status_code == 302


def test_the_run_page_colours_each_item_by_its_state(world: World) -> None:
    row = make_run_item(world, ItemState.APPROVED)
    page = client_for(world.user(Role.LEADER)).get(row.run.get_absolute_url()).content.decode()
    assert page.count('data-testid="node"') == 4
    assert 'data-state="approved"' in page and page.count('data-state="waiting"') == 3
    assert 'data-testid="run-elapsed"' in page


def test_a_step_from_the_page_moves_the_item_and_bad_input_is_kept(world: World) -> None:
    row = make_run_item(world, ItemState.SUBMITTED)
    url = reverse("approvals:item_step", args=[row.pk, "accept_lenient"])
    client = client_for(world.user(Role.SERVICE_OFFICE))
    page = client.get(row.get_absolute_url()).content.decode()
    assert 'data-testid="step-accept_lenient"' in page and 'data-testid="step-return"' in page
    material = row.item.materials.get()
    bad = client.post(
        url,
        {
            "accept_lenient-expected_version": 1,
            "accept_lenient-on": "2025-03-05",
            "accept_lenient-missing": [material.pk],
            "accept_lenient-promise_on": "2025-03-05",
        },
    )
    assert bad.status_code == 200 and 'data-error-for="promise_on"' in bad.content.decode()
    row.refresh_from_db()
    assert row.state == ItemState.SUBMITTED
    good = client.post(
        url,
        {
            "accept_lenient-expected_version": 1,
            "accept_lenient-on": "2025-03-05",
            "accept_lenient-missing": [material.pk],
            "accept_lenient-promise_on": "2025-03-12",
        },
    )
    assert good.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.lenient) == (ItemState.ACCEPTED, True)
    detail = client.get(row.get_absolute_url()).content.decode()
    assert 'data-testid="promise-overdue"' in detail  # 12 March 2025 is long past


def test_a_circle_from_the_page_is_refused_next_to_the_field(world: World) -> None:
    chart = make_chart(world)
    filing = item_named(chart, "企业投资项目备案")
    permit = item_named(chart, "建筑工程施工许可证")
    url = reverse("approvals:prerequisites", args=[filing.pk])
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(url, {"prerequisites": [permit.pk]})
    assert response.status_code == 200
    assert 'data-error-for="prerequisites"' in response.content.decode()
    assert not filing.prerequisites.exists()


def test_an_item_is_added_to_a_chart(world: World) -> None:
    chart = make_chart(world)
    stage = chart.stages.last()
    assert stage is not None
    filing = item_named(chart, "企业投资项目备案")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("approvals:chart_item_create", args=[chart.pk])
    data = {
        "stage": stage.pk,
        "name": "消防设计审查",
        "department": "住建局",
        "time_limit": 5,
        "statutory_limit": 3,
        "prerequisites": [filing.pk],
    }
    bad = client.post(url, data)
    assert 'data-error-for="statutory_limit"' in bad.content.decode()
    response = client.post(url, {**data, "statutory_limit": 15})
    assert response["Location"] == chart.get_absolute_url()
    added = item_named(chart, "消防设计审查")
    assert list(added.prerequisites.all()) == [filing]


def test_the_enterprise_sees_its_own_run_only(world: World) -> None:
    run = make_run(world)
    own = client_for(world.user(Role.ENTERPRISE)).get(run.get_absolute_url())
    assert own.status_code == 200
    first = run_item(run, "企业投资项目备案")
    page = client_for(world.user(Role.ENTERPRISE)).get(first.get_absolute_url()).content.decode()
    assert 'data-testid="step-submit"' in page
    assert client_for(world.other_user(Role.ENTERPRISE)).get(run.get_absolute_url()).status_code == 404


def test_the_project_s_page_leads_to_its_approvals(world: World) -> None:
    project = home_project(world)
    page = client_for(world.user(Role.SERVICE_OFFICE)).get(project.get_absolute_url()).content.decode()
    assert reverse("approvals:project", args=[project.pk]) in page
    own = client_for(world.user(Role.ENTERPRISE)).get(project.get_absolute_url()).content.decode()
    assert 'data-testid="approvals-link"' not in own
