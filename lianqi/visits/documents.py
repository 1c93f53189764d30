"""The campaign's summary as a Word document (python-docx): what the campaign was, its
coverage by liaison and department, the key figures, one table per question and the demands
its answers raised."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from docx import Document

from .models import Campaign
from .queries import Coverage
from .questionnaire.analysis import Analysis, Bar, QuestionStats


def _table(document: Any, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(title)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def _label(label: str) -> str:
    return {"yes": _("是"), "no": _("否")}.get(label, label)


def _bars(document: Any, bars: Sequence[Bar]) -> None:
    _table(
        document, [_("选项"), _("份数"), _("占比")], [(_label(b.label), b.count, f"{b.share}%") for b in bars]
    )


def _question(document: Any, stats: QuestionStats) -> None:
    document.add_heading(f"{stats.question.number}. {stats.question.text}", level=3)
    note = _("%(count)s 份作答") % {"count": stats.answered}
    if not stats.in_all_versions:
        note += "；" + _("仅第 %(versions)s 版问卷有此题") % {"versions": "、".join(map(str, stats.versions))}
    document.add_paragraph(note)
    if stats.bars:
        _bars(document, stats.bars)
    for row, bars in stats.matrix:
        document.add_paragraph(row)
        _bars(document, bars)
    if stats.numbers:
        n = stats.numbers
        _table(
            document,
            [_("作答数"), _("最小值"), _("最大值"), _("平均值"), _("中位数"), _("单位")],
            [(n.count, n.minimum, n.maximum, n.mean, n.median, n.unit)],
        )
    if stats.first_date and stats.last_date:
        document.add_paragraph(
            _("最早 %(first)s，最晚 %(last)s") % {"first": stats.first_date, "last": stats.last_date}
        )


def campaign_summary(campaign: Campaign, coverage: Coverage, analysis: Analysis) -> bytes:
    """The .docx summary of `campaign` from its coverage and its per-question analysis."""
    document = Document()
    document.add_heading(_("%(title)s 走访总结") % {"title": campaign.title}, level=1)
    document.add_paragraph(
        _("主题：%(theme)s；走访期间：%(start)s 至 %(end)s；目标走访率：%(target)s%%")
        % {
            "theme": campaign.theme,
            "start": campaign.starts_on,
            "end": campaign.ends_on,
            "target": campaign.target_coverage,
        }
    )
    document.add_heading(_("主要数据"), level=2)
    total = coverage.total
    _table(
        document,
        [_("应走访企业"), _("已走访"), _("未走访"), _("走访率"), _("已收问卷"), _("提出诉求")],
        [
            (
                total.targets,
                total.visited,
                total.not_visited,
                f"{total.rate}%",
                coverage.forms_total,
                coverage.demands_total,
            )
        ],
    )
    document.add_heading(_("走访覆盖"), level=2)
    header = [_("已走访"), _("未走访"), _("走访率")]
    for title, rows in ((_("联企干部"), coverage.by_liaison), (_("部门"), coverage.by_department)):
        _table(document, [title, *header], [(r.label, r.visited, r.not_visited, f"{r.rate}%") for r in rows])
        document.add_paragraph()
    document.add_heading(_("提出诉求（按类别）"), level=2)
    if coverage.demands:
        _table(
            document,
            [_("诉求类别"), _("提出"), _("当即解决"), _("已办结")],
            [(r.category, r.raised, r.solved_on_spot, r.closed) for r in coverage.demands],
        )
    else:
        document.add_paragraph(_("暂无走访提出的诉求。"))
    document.add_heading(_("问卷统计"), level=2)
    for stats in analysis.questions:
        _question(document, stats)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
