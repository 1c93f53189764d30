"""The inspections' pages and API: another jurisdiction gets 404 on reads and writes, bad
input comes back as field messages, and the enterprise's side under its code — what was
registered, rating a visit, reporting an unregistered entry as a demand."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianqi.demands.models import Demand
from lianqi.demands.tests.test_views_code import confirmed_client
from lianqi.testing.world import World

from .. import actions
from ..choices import InspectionState
from .factories import make_inspection, make_inspector, make_item, registration

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def registered(world: World, **changes: Any):
    return actions.register_inspection(**registration(world, **changes))


def test_another_jurisdiction_gets_404_on_reads_and_writes(world):
    row = registered(world)
    stranger = client_for(world.other_user("service_office"))
    assert stranger.get(reverse("inspections:detail", args=[row.pk])).status_code == 404
    step = reverse("inspections:step", args=[row.pk, "cancel"])
    assert (
        stranger.post(step, {"cancel-expected_version": row.version, "cancel-note": "x"}).status_code == 404
    )
    assert stranger.get(reverse("inspections:create", args=[world.home.enterprise.pk])).status_code == 404
    assert stranger.get(reverse("api:inspections-detail", args=[row.pk])).status_code == 404
    api_step = reverse("api:inspections-step", args=[row.pk, "cancel"])
    response = stranger.post(
        api_step, {"expected_version": row.version, "note": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.state == InspectionState.REGISTERED
    assert [r["id"] for r in stranger.get(reverse("api:inspections-list")).json()["results"]] == []


def test_registering_on_the_page_answers_field_by_field(world):
    office = client_for(world.user("service_office"))
    make_inspector(world.home, 1)
    url = reverse("inspections:create", args=[world.home.enterprise.pk])
    data = {
        "department": world.home.department.pk,
        "trigger": "plan",
        "plan_reference": "",
        "planned_on": "2025-03-12",
        "inspectors": [make_inspector(world.home, 1).pk],
    }
    response = office.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "plan_reference" in errors and "inspectors" in errors and "item" in errors
    data.update(
        item=make_item(world.home, "消防安全检查").pk,
        plan_reference="湘潭高新经发〔2025〕3号",
        inspectors=[make_inspector(world.home, 1).pk, make_inspector(world.home, 2).pk],
    )
    response = office.post(url, data)
    assert response.status_code == 302
    page = client_for(world.user("service_office")).get(response["Location"]).content.decode()
    assert "检查码" in page and "《安全生产法》第六十五条" in page
    # A second one the same day is refused naming the cap; with a reason it awaits the office.
    response = office.post(url, data)
    assert "超过每天 1 次的上限" in response.content.decode()
    response = office.post(url, data | {"exception_reason": "举报须当日复查"})
    assert response.status_code == 302
    assert "营商办批准后赋码" in office.get(response["Location"]).content.decode()


def test_api_step_with_a_wrong_code_answers_the_field(world):
    row = registered(world)
    office = client_for(world.user("service_office"))
    url = reverse("api:inspections-step", args=[row.pk, "check_in"])
    response = office.post(
        url, {"expected_version": row.version, "scanned_code": "nope"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "scanned_code" in json.dumps(response.json())
    assert "扫描的不是被检查企业的营商码" in json.dumps(response.json(), ensure_ascii=False)


def test_the_enterprise_sees_its_registered_inspection_and_rates_the_visit(world):
    enterprise = world.home.enterprise
    row = registered(world, planned_on=timezone.localdate())
    browser = confirmed_client(enterprise)
    page = browser.get(reverse("codes:inspections_list", args=[enterprise.code_token])).content.decode()
    assert row.code in page and "《安全生产法》第六十五条" in page and "检查员1" in page
    assert "rating-form" not in page  # nothing to rate before the inspectors came in
    row = actions.check_in_inspection(
        inspection=row,
        actor=world.user("service_office"),
        expected_version=row.version,
        scanned_code=enterprise.code_token,
    )
    url = reverse("codes:inspections_list", args=[enterprise.code_token])
    counts = {f"r{row.pk}-conduct": "5", f"r{row.pk}-disturbance": "4", f"r{row.pk}-clarity": "9"}
    response = browser.post(url, {"inspection": row.pk, **counts})
    assert response.status_code == 200 and response.context["rows"][0]["rating_form"].errors["clarity"]
    response = browser.post(url, {"inspection": row.pk, **counts, f"r{row.pk}-clarity": "5"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.rating.score, row.rating.disturbance) == (5, 4)  # a mean of 4.67 rounds up


def test_a_stranger_to_the_enterprise_sees_no_inspections(world):
    enterprise = world.home.enterprise
    registered(world)
    filer = confirmed_client(enterprise, phone="13700000000", registered=False)
    response = filer.get(reverse("codes:inspections_list", args=[enterprise.code_token]))
    assert response.status_code == 302  # sent to confirm a registered phone


def test_reporting_an_unregistered_entry_files_a_demand(world):
    enterprise = world.home.enterprise
    client = confirmed_client(enterprise)
    url = reverse("codes:inspections_report", args=[enterprise.code_token])
    assert "description" in client.post(url, {"description": " "}).context["form"].errors
    response = client.post(url, {"description": "3月5日上午两人自称环保局检查，未出示检查码"})
    assert response.status_code == 302
    demand = Demand.objects.get(enterprise=enterprise)
    assert demand.category.name == "执法检查" and "未出示检查码" in demand.description


def test_the_enterprise_file_section_lists_its_inspections_for_its_jurisdiction_only(world):
    row = registered(world)
    url = reverse("inspections:enterprise_section", args=[world.home.enterprise.pk])
    assert row.task in client_for(world.user("service_office")).get(url).content.decode()
    assert client_for(world.other_user("service_office")).get(url).status_code == 404


def test_a_draws_page_is_public_and_a_missing_one_is_404(world):
    assert Client().get(reverse("inspections:draw", args=[999])).status_code == 404


def _sheet(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).worksheets[0]]


def test_the_list_exports_as_filtered_and_only_the_user_s_own(world):
    mine = make_inspection(world, task="消防安全检查")
    make_inspection(world, state=InspectionState.CLOSED, task="环境保护检查")
    elsewhere = make_inspection(
        world, jurisdiction=world.other.park, enterprise=world.other.enterprise, task="外区检查"
    )
    office = client_for(world.user("service_office"))
    rows = _sheet(office.get(reverse("inspections:export"), {"state": InspectionState.REGISTERED}))
    header, body = rows[0], rows[1:]
    assert [row[header.index("检查事项")] for row in body] == ["消防安全检查"]
    assert body[0][header.index("检查码")] == mine.code
    assert body[0][header.index("企业")] == world.home.enterprise.name
    stranger_rows = _sheet(client_for(world.other_user("service_office")).get(reverse("inspections:export")))
    assert [row[stranger_rows[0].index("检查事项")] for row in stranger_rows[1:]] == [elsewhere.task]
    assert "inspections:export" not in office.get(reverse("inspections:list")).content.decode()
    assert reverse("inspections:export") in office.get(reverse("inspections:list")).content.decode()


def test_the_lenient_lists_export_is_recorded_in_the_export_log(world):
    from lianqi.core.models import ExportRecord

    office = client_for(world.user("service_office"))
    rows = _sheet(office.get(reverse("inspections:lenient_manage"), {"format": "xlsx"}))
    assert rows[0][:3] == ["清单", "序号", "违法行为"]
    assert ExportRecord.objects.filter(export="inspections.lenient").count() == 1
