"""The named figures of the finance supermarket (`lianqi.core.registry.Measure`), each with its
definition in words: dashboards and, later, assessments read them by key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure

from . import queries

MEASURES = (
    Measure(
        key="finance.applications",
        label=_("融资申请数"),
        definition=_("统计期内企业在金融超市提交的融资申请笔数（按申请时间），含下级辖区"),
        unit=_("笔"),
        compute=queries.applications_count,
        url_name="finance:overview",
    ),
    Measure(
        key="finance.approval_rate",
        label=_("融资申请通过率"),
        definition=_(
            "统计期内提交的申请中，已由机构作出决定的申请里获得授信（含已放款）的比例；无已决定申请时不计"
        ),
        unit="%",
        compute=queries.approval_rate,
        url_name="finance:overview",
    ),
    Measure(
        key="finance.disbursed",
        label=_("放款金额"),
        definition=_("统计期内（按放款日期）金融机构向辖区企业发放的贷款金额合计，精确到分"),
        unit=_("元"),
        compute=queries.disbursed_yuan,
        url_name="finance:overview",
    ),
)
