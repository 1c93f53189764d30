"""The product brochure as a Word document (python-docx): a title page, a table of contents
(a TOC field that Word refreshes on opening, filled beforehand with the headings so that it
reads right before any refresh), then a chapter per chain and one for the other industries, a
section per node or industry, and a table per section: company, products, address, contact."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from lianqi.core.pdf import PdfDocument

FONT = "SimSun"


def _field_run(paragraph: Any, kind: str, text: str = "") -> None:
    run = paragraph.add_run()
    if kind in ("begin", "separate", "end"):
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
    else:
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = text
        run._r.append(instr)


def _table_of_contents(document: Any, headings: list[tuple[int, str]]) -> None:
    document.add_heading(_("目录"), level=1)
    first = document.add_paragraph()
    _field_run(first, "begin")
    _field_run(first, "instr", 'TOC \\o "1-2" \\h \\z \\u')
    _field_run(first, "separate")
    for level, text in headings:
        line = document.add_paragraph(("    " if level == 2 else "") + text)
        line.paragraph_format.space_after = Pt(2)
    last = document.add_paragraph()
    _field_run(last, "end")
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def brochure_document(title: str, sections: list[dict[str, Any]], *, today: dt.date) -> Any:
    """The brochure of `sections` (`queries.brochure`) as a python-docx Document."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    heading = document.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date_line = document.add_paragraph(today.strftime("%Y-%m-%d"))
    date_line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    chapters = [(s["title"] or _("其他产业企业"), s) for s in sections]
    headings: list[tuple[int, str]] = []
    for name, section in chapters:
        headings.append((1, name))
        headings.extend((2, g["title"]) for g in section["groups"])
    _table_of_contents(document, headings)
    for name, section in chapters:
        document.add_page_break()
        document.add_heading(name, level=1)
        for group in section["groups"]:
            document.add_heading(group["title"], level=2)
            table = document.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            for cell, text in zip(
                table.rows[0].cells, (_("企业名称"), _("主要产品"), _("地址"), _("联系人")), strict=True
            ):
                cell.text = text
            for firm in group["firms"]:
                cells = table.add_row().cells
                cells[0].text = firm["name"]
                cells[1].text = "、".join(firm["products"]) or "—"
                cells[2].text = firm["address"] or "—"
                cells[3].text = firm["contact"] or "—"
    return document


def brochure_pdf(title: str, sections: list[dict[str, Any]], *, today: dt.date, author: str = "") -> bytes:
    """The brochure of `sections` (`queries.brochure`) as a printable PDF: a cover, the table of
    contents (chains, then their nodes or industries, with pages), then one table per group of
    firms with their products, address and contact's title — the same public card as the Word
    document and the page."""
    pdf = PdfDocument(title=title, subtitle=today.strftime("%Y-%m-%d"), author=author)
    pdf.contents()
    for index, section in enumerate(sections):
        if index:
            pdf.page_break()
        pdf.heading(section["title"] or _("其他产业企业"), level=1)
        for group in section["groups"]:
            pdf.heading(group["title"], level=2)
            pdf.table(
                [_("企业名称"), _("主要产品"), _("地址"), _("联系人")],
                [
                    [
                        firm["name"],
                        "、".join(firm["products"]) or "—",
                        firm["address"] or "—",
                        firm["contact"] or "—",
                    ]
                    for firm in group["firms"]
                ],
                widths=[0.28, 0.34, 0.24, 0.14],
            )
    return pdf.build()
