"""The Excel form of the departments' published inspection lists (检查事项清单): one sheet, one
row per item, the department named in a column, the applicability as the rule engine's
eligibility (JSON; empty = every enterprise), so the office exchanges the lists with the
departments as they draw them up."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.excel import Column

COLUMNS = (
    Column("department", str(_("部门")), required=True),
    Column("name", str(_("检查事项")), required=True),
    Column("law", str(_("法律法规")), required=True),
    Column("article", str(_("条款"))),
    Column("kind", str(_("检查类别")), required=True),
    Column("eligibility", str(_("适用企业规则"))),
    Column("rule_note", str(_("适用企业说明"))),
    Column("yearly_cap", str(_("每企业每年检查上限")), required=True),
    Column("published", str(_("是否公布"))),
)
#: How the "是否公布" column says yes.
YES = ("是", "yes", "Yes", "Y", "y", "1", "true", "True")
