"""The three lenient-enforcement lists: imported from Excel (a bad row names itself and
changes nothing), exported back, and published for anyone."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lianqi.core.excel import read_rows, write_workbook

from ..lenient import COLUMNS
from ..models import LenientItem

pytestmark = pytest.mark.django_db

ROWS = [
    [
        "免罚清单",
        1,
        "未按规定公示营业执照",
        "《市场主体登记管理条例》第四十八条",
        "首次违法且及时改正",
        "不予处罚",
    ],
    ["轻罚清单", 1, "未按规定设置安全警示标志", "《安全生产法》第九十九条", "危害后果轻微", "从轻处罚"],
    ["减罚清单", 1, "超标排放污水", "《水污染防治法》第八十三条", "主动消除危害后果", "减轻处罚"],
]


def upload(rows: list[list[object]]) -> SimpleUploadedFile:
    return SimpleUploadedFile("lists.xlsx", write_workbook(COLUMNS, rows))


def office(world) -> Client:
    client = Client()
    client.force_login(world.user("service_office"))
    return client


def test_import_publish_and_export(world):
    client = office(world)
    url = reverse("inspections:lenient_manage")
    assert client.post(url, {"file": upload(ROWS)}).status_code == 302
    page = Client().get(reverse("inspections:lenient_public", args=[world.home.park.code])).content.decode()
    assert "未按规定公示营业执照" in page and "《水污染防治法》第八十三条" in page
    # Another park publishes its own lists, not these.
    other = Client().get(reverse("inspections:lenient_public", args=[world.other.park.code])).content.decode()
    assert "未按规定公示营业执照" not in other
    exported = client.get(url, {"format": "xlsx"})
    _total, rows = read_rows(io.BytesIO(exported.content), COLUMNS)
    assert [r["violation"] for _n, r in rows] == [row[2] for row in ROWS]


def test_a_bad_row_is_named_and_nothing_changes(world):
    client = office(world)
    url = reverse("inspections:lenient_manage")
    client.post(url, {"file": upload(ROWS)})
    bad = [*ROWS, ["宽松清单", 2, "某行为", "某法", "", ""], ["免罚清单", 1, "重复序号", "某法", "", ""]]
    response = client.post(url, {"file": upload(bad)})
    errors = response.context["form"].errors["file"]
    assert any("第 5 行" in e for e in errors) and any("第 6 行" in e for e in errors)
    assert LenientItem.objects.count() == 3


def test_only_staff_manage_the_lists(world):
    client = Client()
    client.force_login(world.user("enterprise"))
    assert client.get(reverse("inspections:lenient_manage")).status_code == 403


def test_the_api_lists_the_callers_items_and_404s_another_jurisdictions(world):
    office(world).post(reverse("inspections:lenient_manage"), {"file": upload(ROWS)})
    item = LenientItem.objects.order_by("pk")[0]
    mine = office(world).get(reverse("api:lenient-items-list")).json()["results"]
    assert [r["violation"] for r in mine] == [row[2] for row in ROWS]
    stranger = Client()
    stranger.force_login(world.other_user("service_office"))
    assert stranger.get(reverse("api:lenient-items-detail", args=[item.pk])).status_code == 404
    assert stranger.get(reverse("api:lenient-items-list")).json()["results"] == []
