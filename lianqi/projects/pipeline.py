"""The investment attraction funnel (招商), in plain Python (no Django, so it is tested on its
own): how many leads reached each stage, the share that went on to the next (conversion), the
average days they stayed in each before moving on (dwell time), and whether a project was
signed, given its land and put into production in the same year (当年签约、当年落地、当年投产).

A lead is its stage dates in the pipeline's order (lead → talks → signed → registered → land →
started → producing), None for a stage not reached."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class LeadDates:
    """One lead's stage dates, in the pipeline's order; `dropped` when talks ended."""

    dates: tuple[dt.date | None, ...]
    dropped: bool = False


@dataclass(frozen=True)
class StageFigure:
    """One stage of the funnel: how many leads reached it, how many of them went on to the
    next, that share in percent (None for the last stage or none reached), and the average days
    spent in it by those that went on (None when none did)."""

    index: int
    reached: int
    went_on: int
    conversion: Decimal | None
    dwell_days: Decimal | None


def reached(lead: LeadDates) -> int:
    """How far a lead got: the index of its last stage with a date (-1 for none)."""
    last = -1
    for index, day in enumerate(lead.dates):
        if day is not None:
            last = index
    return last


def funnel(leads: Iterable[LeadDates], stages: int) -> list[StageFigure]:
    """The funnel over `stages` stages: a lead counts as having reached every stage up to its
    furthest (a stage skipped on the way, such as talks for a lead signed at once, counts as
    passed through without dwell)."""
    rows = list(leads)
    figures = []
    for index in range(stages):
        at_stage = [lead for lead in rows if reached(lead) >= index]
        on = [lead for lead in at_stage if reached(lead) > index]
        conversion = None
        if index < stages - 1 and at_stage:
            conversion = (Decimal(len(on)) * 100 / len(at_stage)).quantize(TENTH, rounding=ROUND_HALF_UP)
        spans = []
        for lead in on:
            start = lead.dates[index]
            following = next((d for d in lead.dates[index + 1 :] if d is not None), None)
            if start is not None and following is not None:
                spans.append((following - start).days)
        dwell = (Decimal(sum(spans)) / len(spans)).quantize(TENTH, rounding=ROUND_HALF_UP) if spans else None
        figures.append(
            StageFigure(index, len(at_stage), len(on) if index < stages - 1 else 0, conversion, dwell)
        )
    return figures


def same_year(signed_on: dt.date | None, land_on: dt.date | None, producing_on: dt.date | None) -> int | None:
    """The year a project was signed, landed and put into production in, when all three fall in
    one year (当年签约、当年落地、当年投产); None otherwise."""
    if signed_on is None or land_on is None or producing_on is None:
        return None
    return signed_on.year if signed_on.year == land_on.year == producing_on.year else None


def in_order(dates: Sequence[dt.date | None]) -> int | None:
    """The index of the first stage dated before an earlier one (None when in order)."""
    last: dt.date | None = None
    for index, day in enumerate(dates):
        if day is None:
            continue
        if last is not None and day < last:
            return index
        last = day
    return None
