"""The month's analysis of key projects (项目月报), said once and printed twice.

`monthly_report_content` decides what the report says: the title with the jurisdiction and the
month (or the office's own wording, `ReportWording`), the headline figures, investment month by
month against the plan, completion by leader and by kind (each with its chart), the slipped
projects with their days of slippage, the meetings' open decisions with the state of their
demand, the problems referred during the month, and the signature. Every figure is read from
`queries.monthly_report`. `monthly_report_docx` lays that content out as a Word document
(python-docx, charts as PNG pictures drawn by `charts.py`) and `monthly_report_pdf` as a PDF
(`lianqi.core.pdf`, charts as vector bars): neither adds nor leaves out anything."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from lianqi.core.pdf import PdfDocument
from lianqi.policies.money import wan

from . import queries
from .charts import bar_chart_png

FONT = "SimSun"
#: Groups drawn in a chart (the largest plans): the table below it lists them all.
CHART_GROUPS = 12


def _wan(amount: Decimal) -> Decimal:
    """An amount in 万元 for a chart's bar."""
    return wan(amount) or Decimal(0)


def yuan(amount: Decimal) -> str:
    """An amount in yuan to the fen with thousands separators (1,234,567.80)."""
    return f"{amount:,.2f}"


def percent(value: Decimal | None) -> str:
    """A completion rate to two decimals with its sign, or a dash without a plan."""
    return "—" if value is None else f"{value:.2f}%"


@dataclass(frozen=True)
class Heading:
    """A section heading (listed in the PDF's contents)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Text:
    """A paragraph."""

    text: str


@dataclass(frozen=True)
class Grid:
    """A table: its header and rows as printed; the columns in `numeric` are set right."""

    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    numeric: tuple[int, ...] = ()
    widths: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Chart:
    """A grouped bar chart: one group per label, one bar per series (values in 万元)."""

    title: str
    labels: list[str]
    series: list[tuple[str, list[Decimal]]]


Block = Heading | Text | Grid | Chart


@dataclass
class ReportContent:
    """Everything the monthly report says, in reading order, whatever it is printed as."""

    title: str
    subtitle: str
    issuer: str
    intro: str
    blocks: list[Block] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    #: The values of the letterhead's placeholders ({title}, {issuer}, {place}, {year}, {month}).
    placeholders: dict[str, str] = field(default_factory=dict)
    #: The office's Word letterhead (.docx bytes) the Word file starts from; the PDF has its own cover.
    letterhead: bytes | None = None


def _fill(text: str, place: str, year: int, month: int) -> str:
    """The office's wording with its placeholders replaced ({place}, {year}, {month})."""
    return text.replace("{place}", place).replace("{year}", str(year)).replace("{month}", str(month))


def _group_blocks(title: str, label: str, groups: Sequence[Any]) -> list[Block]:
    shown = groups[:CHART_GROUPS]  # groups come largest plan first
    chart_title = _("%(title)s：年度计划与完成投资（万元）") % {"title": title}
    if len(groups) > CHART_GROUPS:
        chart_title += _("（计划最大的 %(count)s 组）") % {"count": CHART_GROUPS}
    blocks: list[Block] = [Heading(title)]
    if shown:  # no projects, nothing to draw
        blocks.append(
            Chart(
                chart_title,
                [g.label or "—" for g in shown],
                [
                    (_("年度计划"), [_wan(g.plan) for g in shown]),
                    (_("完成投资"), [_wan(g.done) for g in shown]),
                ],
            )
        )
    return [
        *blocks,
        Grid(
            (label, _("项目数"), _("年度计划投资（元）"), _("完成投资（元）"), _("完成率")),
            [(g.label, str(g.count), yuan(g.plan), yuan(g.done), percent(g.completion)) for g in groups],
            numeric=(1, 2, 3, 4),
            widths=(0.28, 0.12, 0.22, 0.22, 0.16),
        ),
    ]


def monthly_report_content(
    place: str, report: dict[str, Any], wording: Any = None, issued_on: dt.date | None = None
) -> ReportContent:
    """What the month's analysis of `report` (`queries.monthly_report`) says for the jurisdiction
    named `place`, in the wording of `wording` (a `ReportWording`; its blank fields, or none at
    all, take the standard wording), signed on `issued_on`."""
    year, month = report["year"], report["month"]
    title = _fill(getattr(wording, "title", "") or "", place, year, month) or _(
        "%(place)s重点项目%(year)s年%(month)s月分析报告"
    ) % {"place": place, "year": year, "month": month}
    issuer = getattr(wording, "issuer", "") or ""
    content = ReportContent(
        title=title,
        subtitle=_("数据截至 %(date)s") % {"date": report["as_of"].isoformat()},
        issuer=issuer,
        intro=_fill(getattr(wording, "intro", "") or "", place, year, month),
        placeholders={
            "{title}": title,
            "{issuer}": issuer,
            "{place}": place,
            "{year}": str(year),
            "{month}": str(month),
        },
    )
    blocks = content.blocks
    total = report["total"]
    blocks += [
        Heading(_("总体情况")),
        Grid(
            (_("项目数"), _("年度计划投资（元）"), _("本年完成投资（元）"), _("完成率")),
            [(str(total.count), yuan(total.plan), yuan(total.done), percent(total.completion))],
            numeric=(0, 1, 2, 3),
        ),
    ]
    by_month = report["by_month"]
    labels = [_("%(month)s月") % {"month": m.month} for m in by_month]
    blocks += [
        Heading(_("逐月投资完成情况")),
        Chart(
            _("累计计划与累计完成投资（万元）"),
            labels,
            [
                (_("累计计划"), [_wan(m.plan) for m in by_month]),
                (_("累计完成"), [_wan(m.done) for m in by_month]),
            ],
        ),
        Grid(
            (_("月份"), _("累计计划投资（元）"), _("累计完成投资（元）"), _("完成率")),
            [
                (label, yuan(m.plan), yuan(m.done), percent(m.completion))
                for label, m in zip(labels, by_month, strict=True)
            ],
            numeric=(1, 2, 3),
        ),
    ]
    blocks += _group_blocks(_("按责任领导"), _("责任领导"), report["by_leader"])
    blocks += _group_blocks(_("按项目类别"), _("项目类别"), report["by_kind"])

    blocks.append(Heading(_("节点滞后项目")))
    if report["slipped"]:
        blocks.append(
            Grid(
                (_("项目名称"), _("责任领导"), _("滞后节点数"), _("滞后天数")),
                [
                    (f.project.name, f.project.leader, str(f.slipped), str(f.slipped_days))
                    for f in report["slipped"]
                ],
                numeric=(2, 3),
                widths=(0.46, 0.22, 0.16, 0.16),
            )
        )
    else:
        blocks.append(Text(_("没有节点滞后的项目。")))

    blocks.append(Heading(_("未办结议定事项")))
    decisions = list(report["decisions"])
    if decisions:
        blocks.append(
            Grid(
                (_("会议"), _("召开日期"), _("项目名称"), _("议定事项"), _("诉求状态")),
                [
                    (
                        d.meeting.series.name,
                        d.meeting.held_on.isoformat(),
                        d.project.name,
                        d.text,
                        str(d.demand.get_state_display()),
                    )
                    for d in decisions
                ],
                widths=(0.18, 0.14, 0.2, 0.34, 0.14),
            )
        )
    else:
        blocks.append(Text(_("没有未办结的议定事项。")))

    blocks.append(Heading(_("本月转交诉求的问题")))
    referred = list(report["referred"])
    if referred:
        blocks.append(
            Grid(
                (_("项目名称"), _("问题描述"), _("诉求状态")),
                [(p.project.name, p.description, str(p.demand.get_state_display())) for p in referred],
                widths=(0.3, 0.5, 0.2),
            )
        )
    else:
        blocks.append(Text(_("本月没有转交诉求的问题。")))

    signature = getattr(wording, "signature", "") or ""
    content.signature = [line for line in signature.splitlines() if line.strip()]
    if issued_on is not None:
        content.signature.append(
            _("%(year)s年%(month)s月%(day)s日")
            % {"year": issued_on.year, "month": issued_on.month, "day": issued_on.day}
        )
    return content


def monthly_report_for(user: Any, year: int, month: int, today: dt.date) -> ReportContent:
    """The month's report of the portfolio `user` may see, for their own jurisdiction and in its
    office's wording, issued `today` (the download and the background build both say this)."""
    report = queries.monthly_report(user, year, month, today)
    jurisdiction = getattr(user, "jurisdiction", None)
    wording = queries.report_wording(jurisdiction)
    content = monthly_report_content(
        jurisdiction.name if jurisdiction else "", report, wording, issued_on=today
    )
    if wording is not None and wording.letterhead:
        with wording.letterhead.open("rb") as stored:
            content.letterhead = stored.read()
    return content


def _docx_table(document: Any, grid: Grid) -> None:
    table = document.add_table(rows=1, cols=len(grid.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, grid.header, strict=True):
        cell.text = text
    right = set(grid.numeric)
    for row in grid.rows:
        for column, (cell, text) in enumerate(zip(table.add_row().cells, row, strict=True)):
            cell.text = text
            if column in right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _paragraphs(document: Any, text: str, alignment: Any = None) -> None:
    for line in text.splitlines():
        paragraph = document.add_paragraph(line)
        if alignment is not None:
            paragraph.alignment = alignment


#: The styles the Word body is set in; a letterhead made in an office's Word may not define them.
BODY_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid")


def _borrow_style(document: Any, standard: Any, style_id: str | None) -> None:
    """Copy the style `style_id` (and the styles it is based on or linked to) from python-docx's
    standard template into `document`, unless the document has it."""
    if not style_id or document.styles.element.get_by_id(style_id) is not None:
        return
    element = standard.styles.element.get_by_id(style_id)
    if element is None:
        return
    document.styles.element.append(deepcopy(element))
    _borrow_style(document, standard, element.basedOn_val)
    link = element.find(qn("w:link"))
    if link is not None:
        _borrow_style(document, standard, link.get(qn("w:val")))


def _replace(paragraph: Any, placeholders: dict[str, str]) -> None:
    """Fill a paragraph's placeholders, set in its first run's formatting (Word may split a
    placeholder over several runs)."""
    text = paragraph.text
    if "{" not in text or not any(key in text for key in placeholders):
        return
    for key, value in placeholders.items():
        text = text.replace(key, value)
    runs = paragraph.runs
    if not runs:  # text only in a hyperlink or a field: left as it is
        return
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def letterhead_document(data: bytes, placeholders: dict[str, str]) -> Any:
    """The office's letterhead (.docx) opened as the start of the Word report: its cover page,
    header and footer kept, their placeholders filled, the styles the body needs added."""
    document = Document(io.BytesIO(data))
    standard = Document()
    for name in BODY_STYLES:
        if name not in document.styles:
            _borrow_style(document, standard, standard.styles[name].style_id)
    paragraphs = list(document.paragraphs)
    paragraphs += [
        p for table in document.tables for row in table.rows for c in row.cells for p in c.paragraphs
    ]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not part.is_linked_to_previous:  # reading a missing one would add it
                paragraphs += part.paragraphs
    for paragraph in paragraphs:
        _replace(paragraph, placeholders)
    return document


def monthly_report_docx(content: ReportContent) -> bytes:
    """The report as a Word document (.docx bytes); a chart is a picture when a CJK font is
    installed to draw its labels, and left out otherwise (its table follows it either way)."""
    if content.letterhead:  # the office's typography stays as its letterhead sets it
        document = letterhead_document(content.letterhead, content.placeholders)
        document.add_page_break()
    else:
        document = Document()
        style = document.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(10.5)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    heading = document.add_heading(content.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if content.issuer:
        _paragraphs(document, content.issuer, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraphs(document, content.subtitle, WD_ALIGN_PARAGRAPH.CENTER)
    if content.intro:
        _paragraphs(document, content.intro)
    for block in content.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Text):
            _paragraphs(document, block.text)
        elif isinstance(block, Grid):
            _docx_table(document, block)
        else:
            picture = bar_chart_png(block.title, block.labels, block.series)
            if picture is not None:
                document.add_picture(io.BytesIO(picture), width=Cm(16))
    if content.signature:
        document.add_paragraph().add_run().add_break(WD_BREAK.LINE)
        _paragraphs(document, "\n".join(content.signature), WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def monthly_report_pdf(content: ReportContent) -> bytes:
    """The report as a PDF: the same content, its charts as vector bars."""
    subtitle = " · ".join(line for line in (content.issuer, content.subtitle) if line)
    pdf = PdfDocument(title=content.title, subtitle=subtitle, author=content.issuer)
    if content.intro:
        pdf.paragraph(content.intro)
    for block in content.blocks:
        if isinstance(block, Heading):
            pdf.heading(block.text, level=block.level)
        elif isinstance(block, Text):
            pdf.paragraph(block.text)
        elif isinstance(block, Grid):
            pdf.table(block.header, block.rows, widths=block.widths, numeric=block.numeric)
        else:
            pdf.bar_chart(block.title, block.labels, [(n, [float(v) for v in vs]) for n, vs in block.series])
    if content.signature:
        pdf.paragraph("\n".join(content.signature))
    return pdf.build()
