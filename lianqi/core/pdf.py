"""Printable PDF documents with Chinese text: a report or a catalogue as a flow of headings,
paragraphs, tables, bar charts and images, with a table of contents and numbered pages.

Every PDF Lianqi hands out is written here, so that they share one look and one font. The
font is a TrueType CJK font embedded as a subset when one is installed (`LIANQI_PDF_FONT`, or
one of Debian's), so the file prints the same anywhere; without one, ReportLab's built-in
STSong-Light, which PDF readers supply themselves."""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import (
    Flowable,
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

#: TrueType CJK fonts Debian installs (fonts-wqy-zenhei, fonts-wqy-microhei, fonts-arphic-uming),
#: tried in order when `LIANQI_PDF_FONT` names none. Noto CJK is OpenType with PostScript
#: outlines, which ReportLab cannot embed.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
#: The built-in font used when no TrueType CJK font is installed.
BUILT_IN_FONT = "STSong-Light"
#: Bar colours, in series order (the project's blue first).
SERIES_COLOURS = ("#1f5fa8", "#e08a1e", "#3b9c5a", "#b23b3b", "#7a5aa6")
TEXT_WIDTH = A4[0] - 4 * cm


@cache
def font_name() -> str:
    """The registered name of the font every PDF is set in (registered on first use)."""
    configured = getattr(settings, "LIANQI_PDF_FONT", "")
    for path in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if not Path(path).is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont("LianqiCJK", path, subfontIndex=0))
        except TTFError:
            continue
        return "LianqiCJK"
    pdfmetrics.registerFont(UnicodeCIDFont(BUILT_IN_FONT))
    return BUILT_IN_FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = font_name()
    # CJK wrapping breaks a line between any two characters, as Chinese typesetting does.
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK", spaceAfter=6)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=12, spaceAfter=0),
        "number": ParagraphStyle(
            "number", parent=body, fontSize=8.5, leading=12, spaceAfter=0, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle(
            "head", parent=body, fontSize=8.5, leading=12, spaceAfter=0, textColor=colors.white
        ),
        "title": ParagraphStyle(
            "title", parent=body, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=12
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=13, leading=20, alignment=TA_CENTER),
        # A heading stays on the page of what it introduces (keepWithNext).
        "h1": ParagraphStyle(
            "h1", parent=body, fontSize=15, leading=22, spaceBefore=10, spaceAfter=8, keepWithNext=1
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontSize=12, leading=18, spaceBefore=8, spaceAfter=6, keepWithNext=1
        ),
        "toc1": ParagraphStyle("toc1", parent=body, fontSize=11, leading=18, leftIndent=0),
        "toc2": ParagraphStyle("toc2", parent=body, fontSize=10, leading=16, leftIndent=18),
        "contents": ParagraphStyle("contents", parent=body, fontSize=15, leading=22, spaceAfter=10),
    }


class _Heading(Paragraph):
    """A heading that enters the table of contents at its level (0 or 1)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int) -> None:
        super().__init__(escape(text), style)
        self.toc_level = level
        self.toc_text = text


class _Document(SimpleDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading):
            self.notify("TOCEntry", (flowable.toc_level, flowable.toc_text, self.page))


class PdfDocument:
    """A PDF built block by block: a cover (title, subtitle), then whatever is added in order.
    `build()` lays it out (twice when there are contents, to learn the headings' pages)."""

    def __init__(self, *, title: str, subtitle: str = "", author: str = "") -> None:
        self.title = title
        self.author = author
        self.styles = _styles()
        self.story: list[Flowable] = [Spacer(1, 5 * cm), Paragraph(escape(title), self.styles["title"])]
        if subtitle:
            self.story.append(Paragraph(escape(subtitle), self.styles["subtitle"]))
        self.has_contents = False

    def contents(self) -> None:
        """A table of contents of the headings added anywhere, placed here on a page of its own."""
        toc = TableOfContents()
        toc.levelStyles = [self.styles["toc1"], self.styles["toc2"]]
        toc.dotsMinLevel = 0
        self.story += [PageBreak(), Paragraph(escape(_("目录")), self.styles["contents"]), toc, PageBreak()]
        self.has_contents = True

    def heading(self, text: str, level: int = 1) -> None:
        """A heading of level 1 or 2, listed in the contents."""
        level = 1 if level <= 1 else 2
        self.story.append(_Heading(text, self.styles[f"h{level}"], level - 1))

    def paragraph(self, text: str, *, small: bool = False) -> None:
        """A paragraph of plain text (line breaks kept)."""
        html = "<br/>".join(escape(line) for line in text.splitlines()) or " "
        self.story.append(Paragraph(html, self.styles["small" if small else "body"]))

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        widths: Sequence[float] | None = None,
        numeric: Collection[int] = (),
    ) -> None:
        """A table with a coloured header row repeated on every page; `widths` are fractions of
        the text width (equal by default); the columns in `numeric` are set right."""
        columns = len(header)
        fractions = list(widths) if widths else [1 / columns] * columns
        styles = self.styles

        def cell(value: Any, column: int) -> Paragraph:
            text = "" if value is None else str(value)
            return Paragraph(escape(text), styles["number" if column in numeric else "small"])

        data = [[Paragraph(escape(str(title)), styles["head"]) for title in header]]
        data += [[cell(value, column) for column, value in enumerate(row)] for row in rows]
        table = Table(data, colWidths=[TEXT_WIDTH * share for share in fractions], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(SERIES_COLOURS[0])),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c2cc")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f6f9")]),
                ]
            )
        )
        self.story += [table, Spacer(1, 8)]

    def bar_chart(
        self, title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]
    ) -> None:
        """A vector bar chart: one group of bars per label, one bar per series, with a legend.
        A chart with nothing to draw (no labels or no series) is left out."""
        if not labels or not series:
            return
        font = font_name()
        width, height = TEXT_WIDTH, 7 * cm
        drawing = Drawing(width, height)
        drawing.add(String(0, height - 12, title, fontName=font, fontSize=10))
        chart = VerticalBarChart()
        chart.x, chart.y = 40, 40
        chart.width, chart.height = width - 60, height - 80
        chart.data = [list(values) for _name, values in series]
        chart.categoryAxis.categoryNames = list(labels)
        chart.categoryAxis.labels.fontName = font
        chart.categoryAxis.labels.fontSize = 7
        chart.categoryAxis.labels.angle = 30 if len(labels) > 6 else 0
        chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 6 else "n"
        chart.valueAxis.labels.fontName = font
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        for index in range(len(series)):
            chart.bars[index].fillColor = colors.HexColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])
        drawing.add(chart)
        if len(series) > 1:
            legend = Legend()
            legend.x, legend.y = width - 10, height - 8
            legend.alignment = "right"
            legend.fontName = font
            legend.fontSize = 8
            legend.columnMaximum = 1
            legend.deltax = 70
            legend.colorNamePairs = [
                (colors.HexColor(SERIES_COLOURS[index % len(SERIES_COLOURS)]), name)
                for index, (name, _values) in enumerate(series)
            ]
            legend.boxAnchor = "ne"
            drawing.add(legend)
        self.story += [drawing, Spacer(1, 8)]

    def image(self, data: bytes, *, width_cm: float = 16) -> None:
        """A picture (PNG or JPEG) `width_cm` wide, its proportions kept."""
        picture = Image(io.BytesIO(data))
        scale = min(width_cm * cm, TEXT_WIDTH) / picture.imageWidth
        picture.drawWidth = picture.imageWidth * scale
        picture.drawHeight = picture.imageHeight * scale
        self.story += [picture, Spacer(1, 8)]

    def page_break(self) -> None:
        self.story.append(PageBreak())

    def build(self) -> bytes:
        """The document as PDF bytes."""
        buffer = io.BytesIO()
        document = _Document(
            buffer,
            pagesize=A4,
            leftMargin=2 * cm,
            rightMargin=2 * cm,
            topMargin=2 * cm,
            bottomMargin=2 * cm,
            title=self.title,
            author=self.author,
        )
        font, title = font_name(), self.title

        def footer(canvas: Any, doc: Any) -> None:
            canvas.saveState()
            canvas.setFont(font, 8)
            canvas.setFillColor(colors.HexColor("#6b7785"))
            canvas.drawString(2 * cm, 1.2 * cm, title)
            canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, _("第 %(page)s 页") % {"page": doc.page})
            canvas.restoreState()

        story = list(self.story)
        if self.has_contents:
            document.multiBuild(story, onFirstPage=footer, onLaterPages=footer)
        else:
            document.build(story, onFirstPage=footer, onLaterPages=footer)
        return buffer.getvalue()


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, as a reader would copy it (for tests and checks)."""
    from pypdf import PdfReader  # a development dependency: tests read what they wrote

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages(data: bytes) -> int:
    """How many pages a PDF has."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)
