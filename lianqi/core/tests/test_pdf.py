"""PDF documents (`lianqi.core.pdf`): what a reader of the printed file sees — the Chinese
text, the contents with the pages the headings are on, tables continued across pages — with
an installed CJK font and with the built-in one."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from lianqi.core import pdf
from lianqi.core.views import document_download


@pytest.fixture(params=["installed", "built-in"])
def font(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test runs with the TrueType font of the machine (when it has one) and with the
    built-in font a machine without one falls back to."""
    if request.param == "built-in":
        monkeypatch.setattr(pdf, "FONT_CANDIDATES", ())
        monkeypatch.setattr(pdf.settings, "LIANQI_PDF_FONT", "", raising=False)
    pdf.font_name.cache_clear()
    yield pdf.font_name()
    pdf.font_name.cache_clear()


def brochure() -> pdf.PdfDocument:
    document = pdf.PdfDocument(
        title="湘潭经开区企业产品手册", subtitle="新能源汽车产业链", author="湘潭经开区"
    )
    document.contents()
    document.heading("整车制造")
    document.paragraph("湘潭电机股份有限公司：永磁同步电机、驱动系统。")
    document.heading("电池", level=2)
    rows = [[f"配套企业{number:03d}", "正极材料", f"{number * 10:,}.50"] for number in range(1, 121)]
    document.table(["企业", "产品", "年产值（万元）"], rows, widths=[0.4, 0.4, 0.2], numeric=[2])
    document.bar_chart(
        "本地配套率", ["整车", "电驱动", "电池"], [("本地", [42.5, 30.0, 55.0]), ("外地", [57.5, 70, 45])]
    )
    document.heading("零部件")
    document.paragraph("第二行\n换行保留")
    return document


def test_the_reader_sees_the_chinese_text_and_a_contents_page_naming_the_pages(font: str) -> None:
    data = brochure().build()
    assert data.startswith(b"%PDF")
    text = pdf.pdf_text(data)
    for words in (
        "湘潭经开区企业产品手册",
        "新能源汽车产业链",
        "目录",
        "湘潭电机股份有限公司",
        "配套企业120",
        "换行保留",
    ):
        assert words in text, words
    pages = pdf.pdf_pages(data)
    # Cover, contents, then the body: 120 rows do not fit one page, so the last heading is
    # at least two pages after the first, and the contents say so.
    assert pages >= 5
    contents = text[text.index("目录") : text.index("第 3 页")]
    numbers = [int(n) for n in re.findall(r"(\d+)\s*(?:\n|$)", contents)]
    assert numbers[0] == 3 and numbers[-1] >= numbers[0] + 2 and numbers[-1] <= pages


def test_every_page_but_none_is_numbered_and_the_table_header_repeats(font: str) -> None:
    data = brochure().build()
    text = pdf.pdf_text(data)
    pages = pdf.pdf_pages(data)
    assert [f"第 {n} 页" in text for n in range(1, pages + 1)] == [True] * pages
    assert f"第 {pages + 1} 页" not in text
    assert text.count("年产值（万元）") >= 2


def test_without_contents_the_document_is_laid_out_once_and_has_no_contents_page(font: str) -> None:
    document = pdf.PdfDocument(title="月报")
    document.paragraph("正文")
    text = pdf.pdf_text(document.build())
    assert "正文" in text and "目录" not in text


def test_a_document_downloads_with_its_type_and_its_chinese_name() -> None:
    response = document_download(b"%PDF-1.4", "产品手册.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''%E4%BA%A7%E5%93%81%E6%89%8B%E5%86%8C.pdf" in response["Content-Disposition"]
    word = document_download(b"PK", "走访总结.docx")
    assert word["Content-Type"].endswith("wordprocessingml.document")


def test_a_chart_with_nothing_to_draw_is_left_out_and_a_heading_stays_with_its_table(font: str) -> None:
    document = pdf.PdfDocument(title="月报")
    document.bar_chart("空图", [], [("计划", [])])
    document.bar_chart("无系列", ["工业"], [])
    # A page nearly full of text, then a heading and its table: the heading moves with it.
    document.paragraph("\n".join(f"第{n}行" for n in range(30)))
    document.heading("按项目类别")
    document.table(["类别", "项目数"], [["产业项目", "15"]])
    data = document.build()
    text = pdf.pdf_text(data)
    assert "空图" not in text and "无系列" not in text
    pages = [page for page in text.split("第 ") if "按项目类别" in page or "产业项目" in page]
    assert len(pages) == 1, "the heading was left alone at the bottom of a page"
