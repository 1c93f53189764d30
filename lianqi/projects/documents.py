"""The month's analysis of key projects (项目月报) as a Word document (python-docx): the title
with the jurisdiction and the month, the headline figures, completion by leader and by kind,
the slipped projects with their days of slippage, the meetings' open decisions with the state of
their demand, and the problems referred during the month. Every figure is read from
`queries.monthly_report`; this module only lays them out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

FONT = "SimSun"


def yuan(amount: Decimal) -> str:
    """An amount in yuan to the fen with thousands separators (1,234,567.80)."""
    return f"{amount:,.2f}"


def percent(value: Decimal | None) -> str:
    """A completion rate to two decimals with its sign, or a dash without a plan."""
    return "—" if value is None else f"{value:.2f}%"


def _table(document: Any, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _groups(document: Any, title: str, label: str, groups: Iterable[Any]) -> None:
    document.add_heading(title, level=1)
    _table(
        document,
        (label, _("项目数"), _("年度计划投资（元）"), _("完成投资（元）"), _("完成率")),
        ((g.label, str(g.count), yuan(g.plan), yuan(g.done), percent(g.completion)) for g in groups),
    )


def monthly_report_document(jurisdiction: str, report: dict[str, Any]) -> Any:
    """The month's analysis of `report` (`queries.monthly_report`) as a python-docx Document."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    year, month = report["year"], report["month"]
    heading = document.add_heading(
        _("%(place)s重点项目%(year)s年%(month)s月分析报告")
        % {"place": jurisdiction, "year": year, "month": month},
        level=0,
    )
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    as_of = document.add_paragraph(_("数据截至 %(date)s") % {"date": report["as_of"].isoformat()})
    as_of.alignment = WD_ALIGN_PARAGRAPH.CENTER

    total = report["total"]
    document.add_heading(_("总体情况"), level=1)
    _table(
        document,
        (_("项目数"), _("年度计划投资（元）"), _("本年完成投资（元）"), _("完成率")),
        [(str(total.count), yuan(total.plan), yuan(total.done), percent(total.completion))],
    )
    _groups(document, _("按责任领导"), _("责任领导"), report["by_leader"])
    _groups(document, _("按项目类别"), _("项目类别"), report["by_kind"])

    document.add_heading(_("节点滞后项目"), level=1)
    if report["slipped"]:
        _table(
            document,
            (_("项目名称"), _("责任领导"), _("滞后节点数"), _("滞后天数")),
            (
                (f.project.name, f.project.leader, str(f.slipped), str(f.slipped_days))
                for f in report["slipped"]
            ),
        )
    else:
        document.add_paragraph(_("没有节点滞后的项目。"))

    document.add_heading(_("未办结议定事项"), level=1)
    decisions = list(report["decisions"])
    if decisions:
        _table(
            document,
            (_("会议"), _("召开日期"), _("项目名称"), _("议定事项"), _("诉求状态")),
            (
                (
                    d.meeting.series.name,
                    d.meeting.held_on.isoformat(),
                    d.project.name,
                    d.text,
                    d.demand.get_state_display(),
                )
                for d in decisions
            ),
        )
    else:
        document.add_paragraph(_("没有未办结的议定事项。"))

    document.add_heading(_("本月转交诉求的问题"), level=1)
    referred = list(report["referred"])
    if referred:
        _table(
            document,
            (_("项目名称"), _("问题描述"), _("诉求状态")),
            ((p.project.name, p.description, p.demand.get_state_display()) for p in referred),
        )
    else:
        document.add_paragraph(_("本月没有转交诉求的问题。"))
    return document
