"""The ledger's named figures (`lianqi.core.registry.Measure`) for a jurisdiction and a
period, read by the leader's home page and, later, assessments. Each is computed by the same
code as the ledger page's totals (`queries.ledger_figures` over `queries.ledger_in`), so the
figure on a card and the total on the ledger filtered by the same year are one number.

The ledger keeps its amounts in yuan to the fen; officials read these figures in 万元, so the
sums are divided by 10,000 exactly (a Decimal with up to six decimals, never a float). A period selects the entries by their 兑现年度 (the ledger's year), as the
ledger's year filter does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure, Period

from . import queries
from .money import wan


def _figure(name: str, jurisdiction_path: str, period: Period) -> int | Decimal:
    figure: int | Decimal = queries.ledger_figures(queries.ledger_in(jurisdiction_path, period))[name]
    return figure


def disbursed_amount(jurisdiction_path: str, period: Period) -> Decimal:
    """The amount paid out (万元)."""
    return wan(Decimal(_figure("disbursed", jurisdiction_path, period))) or Decimal("0")


def approved_amount(jurisdiction_path: str, period: Period) -> Decimal:
    """The amount approved (万元), paid out or not yet."""
    return wan(Decimal(_figure("approved", jurisdiction_path, period))) or Decimal("0")


def fulfilments_disbursed(jurisdiction_path: str, period: Period) -> int:
    """How many entries were paid out."""
    return int(_figure("disbursed_count", jurisdiction_path, period))


def enterprises_benefited(jurisdiction_path: str, period: Period) -> int:
    """How many enterprises received at least one payment."""
    return int(_figure("enterprises_benefited", jurisdiction_path, period))


def overdue_steps(jurisdiction_path: str, period: Period, *, at: dt.datetime | None = None) -> int:
    """How many entries wait on the administration past their deadline, now (or at `at`)."""
    return queries.overdue_count(jurisdiction_path, period, at=at or timezone.now())


MEASURES = (
    Measure(
        "policies.disbursed_amount",
        _("政策兑付金额"),
        _("兑现年度在统计期内、已兑付的台账事项的兑付金额之和（万元，按兑付凭证记载），含下级辖区。"),
        _("万元"),
        disbursed_amount,
        url_name="policies:ledger",
    ),
    Measure(
        "policies.approved_amount",
        _("政策批准金额"),
        _("兑现年度在统计期内、已批准（含已兑付）的台账事项的批准金额之和（万元），含下级辖区。"),
        _("万元"),
        approved_amount,
        url_name="policies:ledger",
    ),
    Measure(
        "policies.fulfilments_disbursed",
        _("政策兑付件数"),
        _("兑现年度在统计期内、已兑付的台账事项件数，含下级辖区。"),
        _("件"),
        fulfilments_disbursed,
        url_name="policies:ledger",
    ),
    Measure(
        "policies.enterprises_benefited",
        _("受惠企业数"),
        _("兑现年度在统计期内、至少有一笔政策资金已兑付的企业数（同一企业只计一次），含下级辖区。"),
        _("家"),
        enterprises_benefited,
        url_name="policies:ledger",
    ),
    Measure(
        "policies.overdue_steps",
        _("兑现超期事项"),
        _(
            "兑现年度在统计期内、当前处于行政办理环节（待告知、待审核、待批准、待兑付）"
            "且已过工作日办理期限的台账事项件数（按今天计），含下级辖区。"
        ),
        _("件"),
        overdue_steps,
        url_name="policies:ledger",
    ),
)
