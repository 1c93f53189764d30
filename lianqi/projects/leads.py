"""The attraction pipeline's reads (招商): the funnel with conversion and dwell time at each
stage, the year's signings with those over ¥100m, and the projects signed, landed and producing
in the same year, counted on the leads a user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from . import pipeline
from .choices import LEAD_DATE_FIELDS, PIPELINE, LeadStage
from .models import Lead
from .permissions import visible_leads

#: A signing of ¥100m or more is a big one (亿元以上项目).
BIG = Decimal("100000000.00")


@dataclass
class PipelineFigures:
    """The pipeline of a year, as the page shows it."""

    year: int
    stages: list[dict[str, Any]] = field(default_factory=list)
    signed: int = 0
    signed_amount: Decimal = Decimal(0)
    big: int = 0
    big_amount: Decimal = Decimal(0)
    same_year: list[Lead] = field(default_factory=list)
    dropped: int = 0


def _dates(lead: Lead) -> pipeline.LeadDates:
    return pipeline.LeadDates(
        tuple(getattr(lead, LEAD_DATE_FIELDS[s]) for s in PIPELINE), dropped=lead.state == LeadStage.DROPPED
    )


def pipeline_figures(user: Any, year: int) -> PipelineFigures:
    """The funnel of the leads found up to the end of `year`, and that year's signings."""
    leads = list(visible_leads(user).filter(found_on__year__lte=year))
    figures = PipelineFigures(year=year)
    for figure in pipeline.funnel([_dates(lead) for lead in leads], len(PIPELINE)):
        figures.stages.append(
            {
                "stage": LeadStage(PIPELINE[figure.index]),
                "figure": figure,
                "width": round(100 * figure.reached / len(leads)) if leads else 0,
            }
        )
    signed = visible_leads(user).filter(signed_on__year=year)
    totals = signed.aggregate(
        n=Count("pk"),
        total=Sum("amount"),
        big=Count("pk", filter=Q(amount__gte=BIG)),
        big_total=Sum("amount", filter=Q(amount__gte=BIG)),
    )
    figures.signed, figures.signed_amount = totals["n"], totals["total"] or Decimal(0)
    figures.big, figures.big_amount = totals["big"], totals["big_total"] or Decimal(0)
    figures.same_year = [
        lead
        for lead in signed.filter(producing_on__isnull=False).order_by("signed_on", "pk")
        if pipeline.same_year(lead.signed_on, lead.land_on, lead.producing_on) == year
    ]
    figures.dropped = sum(1 for lead in leads if lead.state == LeadStage.DROPPED)
    return figures


def lead_list(user: Any, year: int) -> QuerySet[Lead]:
    """The leads found up to the end of `year`, the furthest on first."""
    return visible_leads(user).filter(found_on__year__lte=year).order_by("-signed_on", "-found_on", "-pk")


def history(lead: Lead) -> QuerySet[Any]:
    return lead.events.select_related("actor").order_by("at", "pk")
