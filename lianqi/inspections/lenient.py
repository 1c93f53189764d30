"""The Excel form of the three lenient-enforcement lists (免罚 / 轻罚 / 减罚清单): one sheet,
one row per item, the list named in a column, so the office exchanges the lists as the
departments draw them up."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.excel import Column

COLUMNS = (
    Column("kind", str(_("清单")), required=True),
    Column("number", str(_("序号")), required=True),
    Column("violation", str(_("违法行为")), required=True),
    Column("legal_basis", str(_("法律依据")), required=True),
    Column("conditions", str(_("适用条件"))),
    Column("measure", str(_("处理方式"))),
)
