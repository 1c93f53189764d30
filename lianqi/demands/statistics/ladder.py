"""The resolution ladder (分级化解, M3): how far up the ladder the demands of a period had to go
— solved on the spot by the liaison, assigned to a department with a deadline (限时交办), taken
to the monthly roundtable (圆桌会) or the weekly dispatch meeting (调度会), or cleared by expert
consultation as a legacy problem (专家专项协商). Seed 001 reports the shares as 当即解决 70%+,
限时交办 / 圆桌会 / 调度会 20%, 专家专项协商 10%; this view shows them, and the split of the
middle share, for the same scope and filters as the statistics page.

One grouped query (conditional counts) over the demands, whatever their number."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..choices import Venue
from ..models import Demand


@dataclass(frozen=True)
class Rung:
    """One rung of the ladder: its key, name, what puts a demand on it, and whether it is
    part of the escalated share (交办、圆桌会、调度会) that the ladder breaks down."""

    key: str
    name: Promise
    definition: Promise
    escalated: bool = False


#: The rungs from the lowest to the highest. A demand stands on the highest one it reached.
RUNGS: tuple[Rung, ...] = (
    Rung("on_spot", _("当即解决"), _("联企干部当场解决、未交办部门的诉求。")),
    Rung(
        "assigned",
        _("限时交办"),
        _("交办承办部门限时答复、未提交会议协调的诉求。"),
        escalated=True,
    ),
    Rung(
        "roundtable",
        _("亲商优商企业接待日圆桌会"),
        _("最近一次提级协调为每月企业接待日圆桌会的诉求。"),
        escalated=True,
    ),
    Rung(
        "dispatch_meeting",
        _("重点项目调度会"),
        _("最近一次提级协调为每周重点项目调度会的诉求。"),
        escalated=True,
    ),
    Rung("expert", _("专家专项协商"), _("曾转专家专项协商的遗留问题（无论此前是否上过会）。")),
    Rung("waiting", _("待交办"), _("尚未当即解决、也尚未交办的诉求（如刚受理、待营商办分派）。")),
)
RUNG_KEYS = tuple(r.key for r in RUNGS)


def _rung_filters() -> dict[str, Q]:
    """Each rung as a condition on the demand; exactly one holds for every demand."""
    expert = Q(is_legacy=True) | Q(venue=Venue.EXPERT)
    roundtable = ~expert & Q(venue=Venue.ROUNDTABLE)
    dispatch = ~expert & Q(venue=Venue.DISPATCH_MEETING)
    met = expert | Q(venue__in=(Venue.ROUNDTABLE, Venue.DISPATCH_MEETING))
    assigned = ~met & Q(assigned_at__isnull=False)
    on_spot = ~met & Q(assigned_at__isnull=True) & Q(solved_on_spot=True)
    waiting = ~met & Q(assigned_at__isnull=True) & Q(solved_on_spot=False)
    return {
        "on_spot": on_spot,
        "assigned": assigned,
        "roundtable": roundtable,
        "dispatch_meeting": dispatch,
        "expert": expert,
        "waiting": waiting,
    }


@dataclass(frozen=True)
class Step:
    """One rung's figures: how many demands stand on it, their share of all the demands
    (percent, one decimal), and, for an escalated rung, its share of the escalated ones."""

    rung: Rung
    count: int
    share: Decimal | None
    share_of_escalated: Decimal | None


@dataclass(frozen=True)
class Ladder:
    """The ladder of a set of demands: every rung, the total, and the escalated share."""

    total: int
    steps: tuple[Step, ...]
    escalated: int
    escalated_share: Decimal | None

    def step(self, key: str) -> Step:
        return next(s for s in self.steps if s.rung.key == key)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def ladder(demands: QuerySet[Demand]) -> Ladder:
    """How far up the ladder `demands` (already scoped and filtered) went."""
    if demands.query.distinct:
        # A scope through a many-to-many would count a demand twice in the aggregate.
        demands = Demand.objects.filter(pk__in=demands.values("pk"))
    counts = demands.order_by().aggregate(
        total=Count("pk"), **{key: Count("pk", filter=q) for key, q in _rung_filters().items()}
    )
    total = counts["total"]
    escalated = sum(counts[r.key] for r in RUNGS if r.escalated)
    steps = tuple(
        Step(
            rung=rung,
            count=counts[rung.key],
            share=_percent(counts[rung.key], total),
            share_of_escalated=_percent(counts[rung.key], escalated) if rung.escalated else None,
        )
        for rung in RUNGS
    )
    return Ladder(total=total, steps=steps, escalated=escalated, escalated_share=_percent(escalated, total))
