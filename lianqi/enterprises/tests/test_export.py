"""Excel export of the filtered list: the import columns, the list's filters, the user's scope."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.excel import read_rows
from lianqi.core.roles import Role
from lianqi.enterprises import permissions
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.columns import ENTERPRISE_COLUMNS
from lianqi.enterprises.models import Tag
from lianqi.testing.contracts import ListPageContract
from lianqi.testing.world import World, make_enterprise


def sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    workbook = load_workbook(io.BytesIO(response.content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


class TestExportContract(ListPageContract):
    allowed_roles = permissions.REGISTER_ROLES
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("enterprises:export")

    def test_other_jurisdiction_sees_no_home_rows(self, world: World) -> None:
        for role in self.allowed_roles:
            theirs = [
                row[1] for row in sheet_rows(self.request(self.client_for(world.other_user(role)), world))
            ]
            mine = [row[1] for row in sheet_rows(self.request(self.client_for(world.user(role)), world))]
            assert world.home.enterprise.name not in theirs and world.other.enterprise.name in theirs
            assert world.home.enterprise.name in mine


def test_export_respects_filters_and_writes_import_columns(world: World) -> None:
    tag = Tag.objects.create(name="小巨人")
    shop = make_enterprise(world.home.park, "湘潭电缆五金门市部", kind=EnterpriseKind.SHOP, employees=7)
    shop.tags.add(tag)
    make_enterprise(world.home.park, "湘潭电缆经销部", kind=EnterpriseKind.BELOW_SIZE)
    client = Client()
    client.force_login(world.user(Role.LEADER))
    response = client.get(reverse("enterprises:export"), {"q": "电缆", "kind": "shop"})
    assert response["Content-Disposition"].startswith("attachment")
    rows = sheet_rows(response)
    assert list(rows[0]) == [column.title for column in ENTERPRISE_COLUMNS]
    assert len(rows) == 2
    record = dict(zip([c.key for c in ENTERPRISE_COLUMNS], rows[1], strict=True))
    assert record["credit_code"] == shop.credit_code
    assert record["name"] == shop.name
    assert record["kind"] == "门店"
    assert record["industry"] == "38"
    assert record["jurisdiction"] == world.home.park.code
    assert record["employees"] == 7
    assert record["tags"] == "小巨人"
    assert record["liaison_name"] is None


def test_exported_file_reads_back_with_the_import_columns(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    response = client.get(reverse("enterprises:export"))
    _total, rows = read_rows(io.BytesIO(response.content), ENTERPRISE_COLUMNS)
    records = [record for _number, record in rows]
    assert len(records) == 1
    assert records[0]["credit_code"] == world.home.enterprise.credit_code
    assert records[0]["liaison_name"] == world.home.liaison_staff.name
    assert records[0]["liaison_phone"] == world.home.liaison_staff.phone
