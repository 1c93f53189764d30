"""The departments' published inspection lists (检查事项清单): the office's page adds, edits,
publishes and withdraws items, exports and imports them (a bad file changes nothing and names
every bad field by row), anyone reads the published ones, and another jurisdiction gets 404."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lianqi.core.roles import Role
from lianqi.demands.tests.factories import handler
from lianqi.org.models import Department
from lianqi.testing.contracts import ListPageContract
from lianqi.testing.world import World

from ..models import InspectionItem
from .factories import make_item

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sheet(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).worksheets[0]]


def _xlsx(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "items.xlsx"
    return out


def test_the_office_adds_an_item_publishes_it_and_the_public_page_lists_it(world: World) -> None:
    office = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("inspections:items")
    data = {
        "department": world.home.department.pk,
        "name": "粉尘防爆检查",
        "law": "《工贸企业粉尘防爆安全规定》",
        "article": "第二十条",
        "kind": "targeted",
        "yearly_cap": "2",
        "eligibility": '{"attribute": "industry", "op": "prefix", "value": ["Q"]}',
        "rule_note": "制造业",
    }
    bad = office.post(url, data | {"eligibility": "{not json"})
    assert bad.status_code == 200 and not InspectionItem.objects.exists()
    assert "JSON" in bad.context["form"].errors["eligibility"][0]
    assert office.post(url, data).status_code == 302
    item = InspectionItem.objects.get()
    assert not item.is_published and item.rule["rules"][0]["eligibility"]["value"] == ["Q"]
    public = reverse("inspections:items_public", args=[world.home.park.code])
    assert "粉尘防爆检查" not in Client().get(public).content.decode()
    office.post(reverse("inspections:item_publish", args=[item.pk, "publish"]))
    page = Client().get(public).content.decode()
    assert "粉尘防爆检查" in page and "《工贸企业粉尘防爆安全规定》第二十条" in page
    office.post(reverse("inspections:item_publish", args=[item.pk, "withdraw"]))
    item.refresh_from_db()
    assert not item.is_published and item.withdrawn_at
    assert "粉尘防爆检查" not in Client().get(public).content.decode()


def test_another_jurisdiction_gets_404_and_a_handler_manages_only_its_department(world: World) -> None:
    item = make_item(world.home, published=False)
    stranger = client_for(world.other_user(Role.SERVICE_OFFICE))
    assert stranger.get(reverse("inspections:item_edit", args=[item.pk])).status_code == 404
    assert stranger.post(reverse("inspections:item_publish", args=[item.pk, "publish"])).status_code == 404
    assert "安全生产检查" not in stranger.get(reverse("inspections:items")).content.decode()
    other = Department.objects.create(jurisdiction=world.home.park, name="应急管理局")
    theirs = make_item(world.home, "危化品检查", department=other, published=False)
    own = client_for(handler(world.home))
    listed = own.get(reverse("inspections:items")).content.decode()
    assert "安全生产检查" in listed and "危化品检查" not in listed
    assert own.post(reverse("inspections:item_publish", args=[theirs.pk, "publish"])).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_published


def test_export_then_import_round_trips_and_a_bad_file_changes_nothing(world: World) -> None:
    make_item(world.home, rule_note="全部")
    office = client_for(world.user(Role.SERVICE_OFFICE))
    rows = _sheet(office.get(reverse("inspections:items"), {"format": "xlsx"}))
    header = rows[0]
    assert header[:3] == ["部门", "检查事项", "法律法规"] and rows[1][1] == "安全生产检查"
    department = world.home.department.name
    good = [department, "消防安全检查", "《消防法》", "第五十三条", "重点检查", "", "", 1, "是"]
    bad_rows = [
        header,
        good,
        ["不存在的部门", "x", "《消防法》", "", "重点检查", "", "", 1, "是"],
        [department, "特种设备检查", "", "", "随便查", "{oops", "", 0, "否"],
    ]
    response = office.post(reverse("inspections:items"), {"import": "1", "file": _xlsx(bad_rows)})
    text = response.content.decode()
    assert "第 3 行“部门”" in text and "第 4 行“法律法规”" in text and "第 4 行“检查类别”" in text
    assert "第 4 行“适用企业规则”" in text and "第 4 行“每企业每年检查上限”" in text
    assert InspectionItem.objects.count() == 1
    response = office.post(
        reverse("inspections:items"), {"import": "1", "file": _xlsx([header, *rows[1:], good])}
    )
    assert response.status_code == 302
    imported = InspectionItem.objects.get(name="消防安全检查")
    assert (
        imported.is_published
        and imported.legal_basis == "《消防法》第五十三条"
        and imported.kind == "targeted"
    )
    assert InspectionItem.objects.count() == 2


def test_registration_through_the_api_answers_field_by_field_and_lists_items(world: World) -> None:
    from .factories import PLANNED, make_inspector

    item = make_item(world.home)
    make_item(world.home, "草稿事项", published=False)
    office = client_for(world.user(Role.SERVICE_OFFICE))
    listed = office.get(reverse("api:inspection-items-list")).json()
    names = [row["name"] for row in listed["results"]]
    assert names == ["安全生产检查"] and listed["results"][0]["legal_basis"] == "《安全生产法》第六十五条"
    stranger = client_for(world.other_user(Role.SERVICE_OFFICE))
    assert stranger.get(reverse("api:inspection-items-detail", args=[item.pk])).status_code == 404
    team = [make_inspector(world.home, 1).pk, make_inspector(world.home, 2).pk]
    body = {
        "enterprise": world.home.enterprise.pk,
        "department": world.home.department.pk,
        "item": item.pk,
        "inspectors": team,
        "planned_on": PLANNED.isoformat(),
        "trigger": "plan",
        "plan_reference": "",
    }
    url = reverse("api:inspections-list")
    response = office.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "plan_reference" in response.json()["error"]["fields"]
    body["plan_reference"] = "湘潭高新经发〔2025〕3号"
    response = office.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["code"]
    assert response.json()["legal_basis"] == "《安全生产法》第六十五条"
    refused = office.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert "超过每天 1 次的上限" in refused.json()["error"]["fields"]["planned_on"][0]
    awaiting = office.post(url, body | {"exception_reason": "举报复查"}, content_type="application/json")
    assert (
        awaiting.status_code == 201
        and awaiting.json()["state"] == "awaiting"
        and awaiting.json()["code"] is None
    )
    # Another jurisdiction cannot name this enterprise; an enterprise's account cannot register.
    assert "enterprise" in stranger.post(url, body, content_type="application/json").json()["error"]["fields"]
    firm = client_for(world.user(Role.ENTERPRISE))
    assert firm.post(url, body, content_type="application/json").status_code == 403


def test_the_office_approves_an_over_cap_inspection_on_its_page_and_edits_an_item(world: World) -> None:
    from .. import actions
    from .factories import registration

    actions.register_inspection(**registration(world))
    row = actions.register_inspection(**registration(world, exception_reason="同日专项检查"))
    office = client_for(world.user(Role.SERVICE_OFFICE))
    page = office.get(reverse("inspections:detail", args=[row.pk])).content.decode()
    assert 'data-testid="step-approve"' in page and "同日专项检查" in page and "营商办批准后赋码" in page
    # The department handler sees it but may not approve it.
    own = client_for(handler(world.home))
    assert (
        'data-testid="step-approve"'
        not in own.get(reverse("inspections:detail", args=[row.pk])).content.decode()
    )
    office.post(
        reverse("inspections:step", args=[row.pk, "approve"]),
        {"approve-expected_version": row.version, "approve-note": "同意，注意合并"},
    )
    row.refresh_from_db()
    assert row.state == "registered" and row.code
    item = row.item
    assert item is not None
    edit = reverse("inspections:item_edit", args=[item.pk])
    assert "《安全生产法》" in office.get(edit).content.decode()
    data = {
        "department": world.home.department.pk,
        "name": item.name,
        "law": "《安全生产法》",
        "article": "第六十六条",
        "kind": "random",
        "yearly_cap": "3",
        "eligibility": "",
        "rule_note": "",
    }
    assert office.post(edit, data).status_code == 302
    item.refresh_from_db()
    assert (item.legal_basis, item.kind, item.yearly_cap) == ("《安全生产法》第六十六条", "random", 3)


def test_the_office_sets_its_caps_and_another_jurisdiction_keeps_the_default(world: World) -> None:
    from ..checks import caps_for

    office = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("inspections:caps")
    assert 'value="3"' in office.get(url).content.decode()
    bad = office.post(url, {"per_day": "3", "per_week": "2", "per_month": "5"})
    assert "每周上限不能小于每日上限" in bad.content.decode()
    assert office.post(url, {"per_day": "1", "per_week": "3", "per_month": "5"}).status_code == 302
    assert caps_for(world.home.enterprise.jurisdiction_path) == (("day", 1), ("week", 3), ("month", 5))
    assert caps_for(world.other.park.path) == (("day", 1), ("week", 2), ("month", 3))
    assert client_for(handler(world.home)).get(url).status_code == 403


def test_the_quiet_rule_is_set_on_the_caps_page_and_a_bad_rule_is_named(world: World) -> None:
    """无事不扰 on the page: a condition the engine cannot read is refused on its field, the
    typed text kept; a good one is shown again when the page opens."""
    office = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("inspections:caps")
    caps = {"per_day": "1", "per_week": "2", "per_month": "3"}
    bad = office.post(url, {**caps, "quiet_eligibility": "{not json", "quiet_note": "诚信示范企业"})
    page = bad.content.decode()
    assert 'data-error-for="quiet_eligibility"' in page and "{not json" in page
    rule = '{"attribute": "credit_class", "op": "in", "value": ["A"]}'
    assert (
        office.post(url, {**caps, "quiet_eligibility": rule, "quiet_note": "诚信示范企业"}).status_code == 302
    )
    page = office.get(url).content.decode()
    assert "诚信示范企业" in page and "&quot;value&quot;: [&quot;A&quot;]}</textarea>" in page
    # Another park's office sees its own page, without this park's rule.
    assert "诚信示范企业" not in client_for(world.other_user(Role.SERVICE_OFFICE)).get(url).content.decode()


class TestItemListContract(ListPageContract):
    # A department handler's own-department view is tested above with a bound handler.
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        make_item(world.home, "危险化学品使用安全检查")
        return reverse("inspections:items")

    def marker(self, world: World) -> str:
        return "危险化学品使用安全检查"
