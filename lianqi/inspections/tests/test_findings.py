"""The result of an inspection as a finding: no problem found, an order to rectify within
working days (followed up later: rectified on a date, or escalated), or a penalty citing the
lenient-list item that applied. Bad input is refused on its field with nothing saved; the
enterprise sees the finding and its deadline on its code page, not the inspectors' note."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.demands.tests.test_views_code import confirmed_client
from lianqi.testing.world import World

from .. import actions
from ..choices import Finding, FollowUp, InspectionState, LenientKind
from ..models import Inspection, LenientItem
from .factories import make_inspection

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
FRIDAY = dt.datetime(2025, 3, 7, 10, 0, tzinfo=SHANGHAI)


def errors_of(call: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def lenient(
    world: World, *, department: Any = None, jurisdiction: Any = None, number: int = 1
) -> LenientItem:
    return LenientItem.objects.create(
        jurisdiction=jurisdiction or world.home.park,
        kind=LenientKind.EXEMPT,
        number=number,
        department=department,
        violation="未按规定设置安全警示标志",
        legal_basis="《安全生产法》第九十九条",
        conditions="首次违法、及时改正、未造成危害后果",
        measure="教育提醒，责令改正",
    )


def close(world: World, row: Inspection, **inputs: Any) -> Inspection:
    return actions.close_inspection(
        inspection=row,
        actor=world.user("service_office"),
        expected_version=row.version,
        at=FRIDAY,
        **inputs,
    )


def test_a_rectification_order_is_due_after_its_working_days_and_is_followed_up(world):
    row = make_inspection(world, InspectionState.CHECKED_IN)
    # Ordered on a Friday with 5 working days: the weekend does not count.
    row = close(world, row, finding=Finding.RECTIFICATION, rectification_days=5, result="消防通道堵塞")
    assert row.state == InspectionState.CLOSED
    assert row.rectification_due_on == dt.date(2025, 3, 14)
    assert row.awaits_follow_up
    assert "2025-03-14" in row.events.get(action="close").note
    office = world.user("service_office")
    assert "rectified_on" in errors_of(
        lambda: actions.confirm_rectified(
            inspection=row, actor=office, expected_version=row.version, rectified_on=dt.date(2025, 3, 1)
        )
    )
    row = actions.confirm_rectified(
        inspection=row,
        actor=office,
        expected_version=row.version,
        rectified_on=dt.date(2025, 3, 12),
        at=FRIDAY + dt.timedelta(days=7),
    )
    assert (row.follow_up, row.rectified_on, row.awaits_follow_up) == (
        FollowUp.RECTIFIED,
        dt.date(2025, 3, 12),
        False,
    )


def test_a_rectification_without_its_deadline_or_a_finding_at_all_is_refused_on_the_field(world):
    row = make_inspection(world, InspectionState.CHECKED_IN)
    assert "rectification_days" in errors_of(lambda: close(world, row, finding=Finding.RECTIFICATION))
    assert "rectification_days" in errors_of(
        lambda: close(world, row, finding=Finding.RECTIFICATION, rectification_days="0")
    )
    assert "finding" in errors_of(lambda: close(world, row, finding=""))
    row.refresh_from_db()
    assert (row.state, row.finding, row.version) == (InspectionState.CHECKED_IN, "", 1)


def test_a_penalty_cites_a_lenient_item_of_its_department_only(world):
    row = make_inspection(world, InspectionState.CHECKED_IN)
    elsewhere = lenient(world, jurisdiction=world.other.park)
    other_department = lenient(world, department=world.other.department, number=2)
    for wrong in (elsewhere, other_department):
        assert "lenient_item" in errors_of(
            lambda wrong=wrong: close(world, row, finding=Finding.PENALTY, lenient_item=wrong.pk)
        )
    own = lenient(world, department=world.home.department, number=3)
    row = close(world, row, finding=Finding.PENALTY, lenient_item=own.pk, result="当场改正")
    assert row.finding == Finding.PENALTY and row.lenient_item == own
    assert row.rectification_due_on is None


def test_the_lenient_item_is_searched_among_those_the_inspection_may_cite(world):
    row = make_inspection(world, InspectionState.CHECKED_IN)
    own = lenient(world, department=world.home.department, number=3)
    LenientItem.objects.create(
        jurisdiction=world.home.park,
        kind=LenientKind.LIGHTER,
        number=4,
        violation="未按规定公示营业执照",
        legal_basis="《市场主体登记管理条例》第四十八条",
    )
    lenient(world, department=world.other.department, number=5)  # another department's
    client = Client()
    client.force_login(world.user("service_office"))
    page = client.get(row.get_absolute_url()).content.decode()
    picker = reverse("inspections:pick_lenient") + f"?inspection={row.pk}"
    assert f'data-picker="{picker}"' in page
    found = client.get(picker + "&q=警示标志").json()
    assert found == [{"value": str(own.pk), "text": str(own)}]
    assert len(client.get(picker).json()) == 2  # the department's and the park-wide one
    stranger = Client()
    stranger.force_login(world.other_user("service_office"))
    assert stranger.get(picker).status_code == 404


def test_an_unmade_rectification_is_escalated_with_what_follows(world):
    row = make_inspection(world, InspectionState.CHECKED_IN)
    row = close(world, row, finding=Finding.RECTIFICATION, rectification_days=3)
    office = world.user("service_office")
    assert "note" in errors_of(
        lambda: actions.escalate_rectification(
            inspection=row, actor=office, expected_version=row.version, note=""
        )
    )
    row = actions.escalate_rectification(
        inspection=row, actor=office, expected_version=row.version, note="逾期未整改，立案处罚"
    )
    assert row.follow_up == FollowUp.ESCALATED and not row.awaits_follow_up


def test_the_enterprise_sees_the_finding_and_its_deadline_but_not_the_note(world):
    enterprise = world.home.enterprise
    row = make_inspection(world, InspectionState.CHECKED_IN, planned_on=dt.date.today())
    own = lenient(world, department=world.home.department)
    close(world, row, finding=Finding.RECTIFICATION, rectification_days=5, result="内部备注：负责人态度差")
    page = (
        confirmed_client(enterprise)
        .get(reverse("codes:inspections_list", args=[enterprise.code_token]))
        .content.decode()
    )
    assert "责令限期整改" in page and "2025-03-14" in page and "待整改复查" in page
    assert "内部备注" not in page
    assert own.violation not in page


def test_an_old_open_rectification_stays_on_the_code_page_marked_overdue(world):
    enterprise = world.home.enterprise
    make_inspection(
        world,
        InspectionState.CLOSED,
        planned_on=dt.date(2020, 1, 6),
        finding=Finding.RECTIFICATION,
        rectification_days=5,
        rectification_due_on=dt.date(2020, 1, 13),
    )
    page = (
        confirmed_client(enterprise)
        .get(reverse("codes:inspections_list", args=[enterprise.code_token]))
        .content.decode()
    )
    assert "2020-01-13" in page and "已逾期" in page


def test_the_api_records_a_finding_and_answers_a_missing_deadline_on_its_field(world):
    row = make_inspection(world, InspectionState.CHECKED_IN)
    client = Client()
    client.force_login(world.user("service_office"))
    url = reverse("api:inspections-step", args=[row.pk, "close"])
    refused = client.post(
        url, {"expected_version": 1, "finding": "rectification"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "rectification_days" in json.dumps(refused.json())
    done = client.post(
        url,
        {"expected_version": 1, "finding": "rectification", "rectification_days": 10},
        content_type="application/json",
    )
    assert done.status_code == 200
    body = done.json()
    assert body["finding"] == "rectification" and body["rectification_due_on"]


def test_the_page_records_a_finding_and_keeps_what_was_typed_when_refused(world):
    row = make_inspection(world, InspectionState.CHECKED_IN)
    client = Client()
    client.force_login(world.user("service_office"))
    url = reverse("inspections:step", args=[row.pk, "close"])
    refused = client.post(
        url, {"close-expected_version": 1, "close-finding": "rectification", "close-result": "灭火器过期"}
    )
    assert refused.status_code == 200
    assert "责令整改须填写整改期限" in refused.content.decode() and "灭火器过期" in refused.content.decode()
    done = client.post(
        url,
        {"close-expected_version": 1, "close-finding": "rectification", "close-rectification_days": "5"},
    )
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.finding == Finding.RECTIFICATION and row.rectification_days == 5


def test_existing_free_text_results_become_findings_honestly():
    migration = importlib.import_module("lianqi.inspections.migrations.0006_finding")
    assert migration.finding_from_text("未发现问题") == "no_problem"
    assert migration.finding_from_text("检查合格") == "no_problem"
    assert migration.finding_from_text("发现两处隐患，已责令整改") == "rectification"
    assert migration.finding_from_text("未按规定存放危化品，罚款五千元") == "penalty"


def test_the_list_export_carries_the_finding_and_its_deadline(world):
    make_inspection(
        world,
        InspectionState.CLOSED,
        finding=Finding.RECTIFICATION,
        rectification_days=5,
        rectification_due_on=dt.date(2025, 3, 19),
    )
    client = Client()
    client.force_login(world.user("service_office"))
    response = client.get(reverse("inspections:export"))
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(response.content)).worksheets[0]]
    header, body = rows[0], rows[1:]
    assert body[0][header.index("检查结论")] == "责令限期整改"
    assert str(body[0][header.index("整改截止日期")]).startswith("2025-03-19")
