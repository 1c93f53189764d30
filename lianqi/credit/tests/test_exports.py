"""The Excel exports of the credit lists: each list's whole content as a workbook, the user's
jurisdiction only, written down in the export log."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.models import ExportRecord
from lianqi.core.roles import Role
from lianqi.testing.world import World

from .. import actions
from ..choices import BenefitKind, RepairState
from .factories import make_record
from .test_views import _home_credit


def _sheet(user: Any, url: str) -> list[list[Any]]:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).worksheets[0]]


def _with_other_park(world: World) -> None:
    """The home park's credit facts, and a record of the other park that must not leak."""
    _home_credit(world)
    make_record(world, RepairState.APPLIED, side=world.other)
    actions.offer_convenience(
        jurisdiction=world.home.park,
        name="容缺受理",
        benefit=BenefitKind.values[0],
        description="A级企业容缺受理",
        lowest_class="A",
        actor=world.user(Role.SERVICE_OFFICE),
    )


@pytest.mark.parametrize(
    ("name", "header", "found"),
    [
        ("credit:commitments", "承诺书版本", "2024年版"),
        ("credit:honours", "荣誉称号", "诚信示范企业"),
        ("credit:records", "认定机关", "邵东县市场监督管理局"),
        ("credit:repairs", "申请日期", "邵东县市场监督管理局"),
        ("credit:interviews", "约谈主题", "失信企业集体约谈"),
        ("credit:conveniences", "便利内容", "A级企业容缺受理"),
    ],
)
def test_each_list_exports_its_rows_of_the_users_park(
    world: World, name: str, header: str, found: str
) -> None:
    _with_other_park(world)
    rows = _sheet(world.user(Role.SERVICE_OFFICE), reverse(name) + "?format=xlsx")
    assert header in rows[0]
    body = [cell for row in rows[1:] for cell in row]
    assert found in body
    assert world.other.enterprise.name not in body
    if name != "credit:conveniences":
        assert world.home.enterprise.name in body
    assert ExportRecord.objects.filter(export=name.replace(":", "."), rows=len(rows) - 1).exists()


def test_the_list_page_offers_the_export(world: World) -> None:
    _home_credit(world)
    client = Client()
    client.force_login(world.user(Role.LEADER))
    page = client.get(reverse("credit:records")).content.decode()
    assert "?format=xlsx" in page and "导出 Excel" in page


def test_the_scoring_results_export_each_class_with_its_reasons(world: World) -> None:
    _home_credit(world)
    make_record(world, side=world.other)
    rows = _sheet(world.user(Role.LEADER), reverse("credit:classes") + "?format=xlsx")
    assert rows[0][:4] == ["企业", "统一社会信用代码", "等级", "得分"]
    line = next(row for row in rows[1:] if row[0] == world.home.enterprise.name)
    assert line[1] == world.home.enterprise.credit_code
    assert line[2] in "ABCD" and isinstance(line[3], int)
    assert "已签署信用承诺书" in line[4]
    assert all(row[0] != world.other.enterprise.name for row in rows[1:])


def test_the_scoring_export_keeps_the_class_filter(world: World) -> None:
    _home_credit(world)
    classes = {
        row[2] for row in _sheet(world.user(Role.LEADER), reverse("credit:classes") + "?format=xlsx")[1:]
    }
    missing = next(c for c in "ABCD" if c not in classes)
    rows = _sheet(world.user(Role.LEADER), reverse("credit:classes") + f"?class={missing}&format=xlsx")
    assert rows[1:] == []


def test_an_enterprise_account_cannot_export_a_list(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.ENTERPRISE))
    assert client.get(reverse("credit:records") + "?format=xlsx").status_code in (403, 404)
    assert not ExportRecord.objects.exists()
