"""Versions valid between two dates (a policy's wording, a financial product's terms): where a
newly published version fits among those already published. An earlier version still running
on the new one's first day ends the day before; one that starts on or after it cannot be
overlapped (the caller refuses on its own field)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar


class Dated(Protocol):
    """Anything valid from a day to a day (both included; no end: open)."""

    valid_from: dt.date
    valid_to: dt.date | None


V = TypeVar("V", bound=Dated)


def make_room(
    published: Iterable[V], valid_from: dt.date, valid_to: dt.date | None
) -> tuple[list[V], V | None]:
    """Among `published`, those to end the day before `valid_from` (set their `valid_to` to
    `ending_before(valid_from)` and save them) and the first one the new span would overlap
    that starts on or after it (None when there is none: the new version fits)."""
    to_end: list[V] = []
    clash: V | None = None
    new_end = valid_to or dt.date.max
    for other in sorted(published, key=lambda version: version.valid_from):
        overlaps = other.valid_from <= new_end and valid_from <= (other.valid_to or dt.date.max)
        if not overlaps:
            continue
        if other.valid_from < valid_from:
            to_end.append(other)
        elif clash is None:
            clash = other
    return to_end, clash


def ending_before(day: dt.date) -> dt.date:
    """The last day of a version another replaces on `day`."""
    return day - dt.timedelta(days=1)


def in_force(versions: Iterable[V], day: dt.date) -> V | None:
    """The version valid on `day` (the latest-starting one if several are)."""
    valid = [v for v in versions if v.valid_from <= day and (v.valid_to is None or day <= v.valid_to)]
    return max(valid, key=lambda version: version.valid_from, default=None)
