"""The demo's inspections: seed 003's year at scale 1 — 971 registrations, the lists of
334 / 205 / 126 items — all in the park, each with its code, two inspectors of its department
and its creation event, and the figures the measures read back."""

from __future__ import annotations

import datetime as dt

import pytest

from lianqi.core.registry import Period
from lianqi.inspections import queries
from lianqi.inspections.models import Inspection, InspectionEvent, LenientItem
from lianqi.org.models import Staff

from ..inspections import build_demo_inspections

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 30)


def test_a_year_of_inspections_at_seed_scale(world):
    park = world.home.park
    for n in range(4):
        Staff.objects.create(jurisdiction=park, name=f"执法员{n}", department=world.home.department)
    figures = build_demo_inspections(park=park, seed=3, scale=1.0, today=TODAY)
    assert figures.registered == Inspection.objects.filter(jurisdiction=park).count() == 971
    assert InspectionEvent.objects.count() == 971
    kinds = {kind: LenientItem.objects.filter(kind=kind).count() for kind in ("exempt", "lighter", "reduced")}
    assert kinds == {"exempt": 334, "lighter": 205, "reduced": 126}
    year = Period(TODAY - dt.timedelta(days=364), TODAY)
    assert queries.registered_count(park.path, year) == 971
    assert queries.average_rating(park.path, year) is not None
    row = Inspection.objects.first()
    assert row is not None
    assert row.inspectors.count() == 2 and {i.department_id for i in row.inspectors.all()} == {
        row.department_id
    }
    # Each registration is dated before its visit, across the year, not on the day the demo ran.
    for inspection in Inspection.objects.filter(jurisdiction=park):
        assert inspection.created_at.date() < inspection.planned_on
    assert Inspection.objects.filter(created_at__date__lt=TODAY - dt.timedelta(days=180)).exists()
