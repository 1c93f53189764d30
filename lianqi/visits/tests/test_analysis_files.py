"""A campaign's forms as Excel and its summary as Word, read back: one row per form with a
column per question (a matrix one per row), the liaison's phone masked by the one phone rule,
the export logged; the summary's coverage, figures, question tables and raised demands."""

from __future__ import annotations

import copy
import io
from typing import Any

import docx
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.models import ExportRecord
from lianqi.core.roles import Role
from lianqi.testing.contracts import ObjectPageContract
from lianqi.testing.world import World

from ..models import Campaign
from ..permissions import MANAGERS
from .factories import DEFINITION, NEEDY, QUIET, handler, make_campaign, make_questionnaire
from .test_queries import visit
from .test_views import client_for, home_campaign

#: The factories' questionnaire with a rating matrix added.
WITH_MATRIX: dict[str, Any] = copy.deepcopy(DEFINITION)
WITH_MATRIX["sections"][1]["questions"].append(
    {
        "key": "rating",
        "type": "matrix",
        "text": "满意度",
        "rows": ["服务", "效率"],
        "columns": ["满意", "一般"],
    }
)


class TestExportContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("visits:campaign_export", args=[home_campaign(world).pk])


class TestSummaryContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("visits:campaign_summary", args=[home_campaign(world).pk])


def campaign_with_forms(world: World) -> Campaign:
    campaign = make_campaign(world, questionnaire=make_questionnaire(world.home, WITH_MATRIX))
    visit(
        world,
        campaign,
        world.home.enterprise,
        Role.LIAISON,
        answers={**NEEDY, "rating": {"服务": "满意", "效率": "一般"}},
    )
    visit(world, campaign, world.home.enterprise, answers=QUIET)
    return campaign


def sheet_of(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_has_a_row_per_form_and_a_column_per_question(world: World) -> None:
    campaign = campaign_with_forms(world)
    url = reverse("visits:campaign_export", args=[campaign.pk])
    rows = sheet_of(client_for(world.user(Role.SERVICE_OFFICE)).get(url))
    header = rows[0]
    assert header[:6] == ("企业名称", "统一社会信用代码", "走访干部", "干部手机号", "走访日期", "采集方式")
    assert header[6:] == (
        "企业经营状况",
        "当前主要困难",
        "是否有融资需求",
        "融资金额",
        "现场照片",
        "满意度：服务",
        "满意度：效率",
    )
    assert len(rows) == 3
    needy = rows[1]
    assert needy[0] == world.home.enterprise.name
    assert needy[2:4] == ("湘潭高新区联企干部", "13800000001")  # the office sees numbers in full
    assert needy[5] == "联企干部走访"
    assert needy[6:] == ("困难", "资金、用工", "是", 300, None, "满意", "一般")
    assert rows[2][6:9] == ("良好", None, "否")
    record = ExportRecord.objects.get(export="visits.forms")
    assert record.rows == 2 and record.user == world.user(Role.SERVICE_OFFICE)


def test_a_department_gets_the_liaison_s_phone_masked_and_marked(world: World) -> None:
    campaign = campaign_with_forms(world)
    campaign.departments.add(world.home.department)
    url = reverse("visits:campaign_export", args=[campaign.pk])
    rows = sheet_of(client_for(handler(world.home)).get(url))
    assert rows[0][3] == "干部手机号（已脱敏）"
    assert rows[1][3] == "138****0001"
    assert ExportRecord.objects.get(export="visits.forms").masked_columns == ["干部手机号"]


def test_the_word_summary_carries_coverage_figures_questions_and_demands(world: World) -> None:
    campaign = campaign_with_forms(world)
    response = client_for(world.user(Role.LEADER)).get(reverse("visits:campaign_summary", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"{campaign.title} 走访总结" in text
    assert "2 份作答" in text  # 企业经营状况
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    figures = tables[0]
    assert figures[1] == ["1", "1", "0", "100.0%", "2", "2"]
    assert ["湘潭高新区联企干部", "1", "0", "100.0%"] in tables[1]
    demands = next(t for t in tables if t[0][0] == "诉求类别")
    assert {tuple(row[:2]) for row in demands[1:]} == {("融资困难", "1"), ("用工招聘", "1")}
    choices = [t for t in tables if t[0] == ["选项", "份数", "占比"]]
    assert ["困难", "1", "50.0%"] in choices[0]
    assert ["是", "1", "50.0%"] in choices[2]
    numbers = next(t for t in tables if t[0][0] == "作答数")
    assert numbers[1] == ["1", "300", "300", "300.00", "300.00", "万元"]
