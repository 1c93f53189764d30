"""The month's analysis (项目月报) as a Word document and as PDF: the dashboard's figures as they
stood at the month's end, month by month against the plan, with charts, read back from the file a
leader downloads, only the leader's own park, and worded as the park's office set it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from lianqi.core.pdf import pdf_text
from lianqi.core.roles import Role
from lianqi.testing.contracts import ListPageContract, PageContract
from lianqi.testing.world import World

from .. import charts
from ..actions import meetings, reports
from ..actions.portfolio import save_report_wording
from ..choices import Cadence
from ..models import ProgressReport, Project, ReportWording
from ..permissions import EDITORS, MANAGERS
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


def fetch(world: World, month: int, role: str = Role.LEADER, other: bool = False, **params: str) -> Any:
    """The month's report as the user downloads it (Word unless `format="pdf"`)."""
    client = Client()
    client.force_login(world.other_user(role) if other else world.user(role))
    query: dict[str, str | int] = {"year": 2025, "month": month, **params}
    response = client.get(reverse("projects:monthly_report"), query)
    assert response.status_code == 200
    extension = params.get("format", "docx")
    assert unquote(response["Content-Disposition"]).endswith(f"项目月报-2025-{month:02d}.{extension}")
    return response


def download(world: World, month: int, role: str = Role.LEADER, other: bool = False) -> str:
    return document_text(fetch(world, month, role, other))


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


class _PdfAsText(_DocumentAsText):
    """A PDF response seen as the text a reader copies from it."""

    def __init__(self, response: Any) -> None:
        self.status_code = response.status_code
        self._response = response
        self.content = response.content
        if self.status_code == 200:
            self.content = pdf_text(response.content).encode()


class TestMonthlyReportPdfContract(TestMonthlyReportContract):
    def url(self, world: World) -> str:
        return super().url(world) + "&format=pdf"

    def request(self, client: Client, world: World) -> Any:
        return _PdfAsText(ListPageContract.request(self, client, world))


class TestReportWordingContract(PageContract):
    allowed_roles = EDITORS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("projects:report_wording")


def _two_months(world: World) -> Project:
    """A project planned at 600,000.00 this year that reported 200,000.10 in May and 100,000.23 in June."""
    row = make_project(world, year_plan=Decimal("600000.00"))
    report(row, 5, "200000.10")
    report(row, 6, "100000.23")
    return row


def test_investment_month_by_month_against_the_plan_s_share(world: World) -> None:
    _two_months(world)
    june = download(world, 6)
    # The plan spread over the year: 50,000.00 a month; investment summed up to each month.
    assert "1月\t50,000.00\t0.00\t0.00%" in june
    assert "5月\t250,000.00\t200,000.10\t80.00%" in june
    # June's cumulative figure is the headline's investment this year.
    assert "6月\t300,000.00\t300,000.33\t100.00%" in june
    assert "1\t600,000.00\t300,000.33\t50.00%" in june
    assert "7月" not in june  # no month after the report's


def test_charts_are_pictures_beside_their_tables(world: World) -> None:
    _two_months(world)
    document = Document(io.BytesIO(fetch(world, 6).content))
    # Investment by month, by leader and by kind.
    assert len(document.inline_shapes) == 3
    picture = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[picture].blob.startswith(b"\x89PNG")


def test_without_a_cjk_font_the_report_keeps_its_tables_and_leaves_out_the_charts(
    world: World, monkeypatch: Any
) -> None:
    _two_months(world)
    monkeypatch.setattr(charts, "font_path", lambda: None)
    response = fetch(world, 6)
    assert len(Document(io.BytesIO(response.content)).inline_shapes) == 0
    assert "6月\t300,000.00\t300,000.33\t100.00%" in document_text(response)


def test_the_pdf_says_what_the_word_document_says(world: World) -> None:
    row = _two_months(world)
    row.milestones.create(name="主体封顶", planned_start=dt.date(2025, 3, 1), planned_end=dt.date(2025, 5, 1))
    data = fetch(world, 6, format="pdf").content
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert f"{world.home.park.name}重点项目2025年6月分析报告" in text
    for figure in ("600,000.00", "300,000.33", "50.00%", "250,000.00", "80.00%"):
        assert figure in text
    assert NAME in text and "张副主任" in text
    assert "累计计划与累计完成投资" in text  # the chart's title


def _save_wording(world: World, **fields: Any) -> Any:
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    data = {"title": "", "issuer": "", "intro": "", "signature": "", **fields}
    return client.post(reverse("projects:report_wording"), data)


def test_the_office_s_wording_is_in_both_reports_of_its_park_only(world: World) -> None:
    _two_months(world)
    response = _save_wording(
        world,
        title="{place}{year}年{month}月重点项目建设情况通报",
        issuer="湘潭高新区重点项目建设指挥部办公室",
        intro="现将{month}月全区重点项目推进情况通报如下。",
        signature="高新区重点项目建设指挥部办公室",
    )
    assert response.status_code == 302
    title = f"{world.home.park.name}2025年6月重点项目建设情况通报"
    word = download(world, 6)
    for text in (title, "湘潭高新区重点项目建设指挥部办公室", "现将6月全区重点项目推进情况通报如下。"):
        assert text in word
    today = timezone.localdate()
    paragraphs = [p.text for p in Document(io.BytesIO(fetch(world, 6).content)).paragraphs]
    assert paragraphs[-2:] == [
        "高新区重点项目建设指挥部办公室",
        f"{today.year}年{today.month}月{today.day}日",
    ]
    pdf = pdf_text(fetch(world, 6, format="pdf").content)
    assert title in pdf and "现将6月全区重点项目推进情况通报如下。" in pdf
    # The page shows what was saved; another park keeps the standard wording.
    page = _page(world)
    assert "现将{month}月全区重点项目推进情况通报如下。" in page
    theirs = download(world, 6, other=True)
    assert f"{world.other.park.name}重点项目2025年6月分析报告" in theirs and "通报" not in theirs


def _page(world: World) -> str:
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    return client.get(reverse("projects:report_wording")).content.decode()


def test_a_title_too_long_is_named_and_what_was_typed_kept(world: World) -> None:
    response = _save_wording(world, title="长" * 201, intro="保留这段导语")
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "保留这段导语" in response.content.decode()
    assert not ReportWording.objects.exists()


def test_wording_is_kept_only_for_a_jurisdiction_inside_the_actor_s(world: World) -> None:
    with pytest.raises(ValidationError):
        save_report_wording(
            actor=world.user(Role.SERVICE_OFFICE), jurisdiction=world.other.park, title="别的园区"
        )
    assert not ReportWording.objects.exists()


def letterhead_bytes() -> bytes:
    """A letterhead as an office makes it in Word: a cover page, a header whose placeholder Word
    split over two runs, a footer, and none of the styles the report's body is set in."""
    document = Document()
    cover = document.add_paragraph()
    cover.add_run("{place}重点项目建设指挥部")
    document.add_paragraph("{title}")
    header = document.sections[0].header.paragraphs[0]
    header.add_run("高新区管委会 {ye")
    header.add_run("ar}年{month}月")
    document.sections[0].footer.paragraphs[0].text = "内部资料 注意保存"
    styles = document.styles.element
    for name in ("Heading 1", "Heading 2", "Title", "Table Grid"):
        styles.remove(document.styles[name].element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _upload(world: World, name: str, data: bytes, **fields: str) -> Any:
    return _save_wording(world, letterhead=SimpleUploadedFile(name, data), **fields)


def test_the_word_report_starts_from_the_office_s_letterhead(world: World) -> None:
    _two_months(world)
    assert _upload(world, "高新区信笺.docx", letterhead_bytes()).status_code == 302
    assert "高新区信笺.docx" in _page(world)
    document = Document(io.BytesIO(fetch(world, 6).content))
    paragraphs = [p.text for p in document.paragraphs]
    title = f"{world.home.park.name}重点项目2025年6月分析报告"
    assert paragraphs[:2] == [f"{world.home.park.name}重点项目建设指挥部", title]
    assert document.sections[0].header.paragraphs[0].text == "高新区管委会 2025年6月"
    assert document.sections[0].footer.paragraphs[0].text == "内部资料 注意保存"
    # The body follows the cover, in the styles it needs, with its figures.
    assert "总体情况" in paragraphs and document.styles["Heading 1"] is not None
    assert "6月\t300,000.00\t300,000.33\t100.00%" in document_text(fetch(world, 6))
    # The PDF keeps its own cover.
    assert title in pdf_text(fetch(world, 6, format="pdf").content)


def test_a_letterhead_that_is_not_a_word_document_is_named_and_nothing_is_kept(world: World) -> None:
    response = _upload(world, "信笺.txt", b"letterhead", intro="保留这段导语")
    assert "letterhead" in response.context["form"].errors
    assert "保留这段导语" in response.content.decode()
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    response = _upload(world, "信笺.docx", fake.getvalue())
    assert "不是可以打开的 Word 文档" in str(response.context["form"].errors["letterhead"])
    assert not ReportWording.objects.exists()


def test_a_letterhead_no_longer_wanted_is_dropped(world: World) -> None:
    _upload(world, "信笺.docx", letterhead_bytes())
    _save_wording(world, clear_letterhead="on")
    assert not ReportWording.objects.get().letterhead
    paragraphs = [p.text for p in Document(io.BytesIO(fetch(world, 6).content)).paragraphs]
    assert paragraphs[0] == f"{world.home.park.name}重点项目2025年6月分析报告"
