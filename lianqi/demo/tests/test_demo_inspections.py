"""The demo's inspections: seed 003's year at scale 1 — 971 registrations, the lists of
334 / 205 / 126 items — all in the park, each with its code, two inspectors of its department
and its creation event, and the figures the measures read back."""

from __future__ import annotations

import datetime as dt

import pytest

from lianqi.core.registry import Period
from lianqi.demands.models import Demand
from lianqi.inspections import queries
from lianqi.inspections.models import Inspection, InspectionEvent, LenientItem
from lianqi.org.models import Department, Staff
from lianqi.testing.world import make_enterprise

from ..inspections import build_demo_inspections

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 30)


def test_a_year_of_inspections_at_seed_scale(world):
    park = world.home.park
    for n in range(4):
        Staff.objects.create(jurisdiction=park, name=f"执法员{n}", department=world.home.department)
    fire = Department.objects.create(jurisdiction=park, name="消防救援大队")
    for n in range(3):
        Staff.objects.create(jurisdiction=park, name=f"消防员{n}", department=fire)
    # Enough firms for 971 visits within the caps (1 a day, 2 a week, 3 a month, the items' yearly caps).
    for n in range(300):
        make_enterprise(park, f"示范企业{n}")
    figures = build_demo_inspections(park=park, seed=3, scale=1.0, today=TODAY)
    coded = Inspection.objects.filter(jurisdiction=park, code__isnull=False)
    assert figures.registered == coded.count() == 971
    assert all(row.item and row.item.is_published and row.task == row.item.name for row in coded[:50])
    # A few over-cap registrations were refused by the office, with the log to say so.
    refused = Inspection.objects.filter(jurisdiction=park, state="refused")
    assert refused.count() == figures.refused > 0
    assert InspectionEvent.objects.filter(action="refuse").count() == figures.refused
    assert InspectionEvent.objects.count() == 971 + 2 * figures.refused
    kinds = {kind: LenientItem.objects.filter(kind=kind).count() for kind in ("exempt", "lighter", "reduced")}
    assert kinds == {"exempt": 334, "lighter": 205, "reduced": 126}
    year = Period(TODAY - dt.timedelta(days=364), TODAY)
    assert figures.joint_visits > 0 and figures.items == 3 + 3
    # Most entries are enforcement inspections, some planned ones service visits.
    service = coded.filter(visit_kind="service")
    assert 0 < service.count() < coded.count() // 3 and not service.exclude(trigger="plan").exists()
    assert queries.average_rating(park.path, year) is not None
    row = Inspection.objects.first()
    assert row is not None
    assert row.inspectors.count() == 2 and {i.department_id for i in row.inspectors.all()} == {
        row.department_id
    }
    # Each registration is dated before its visit, across the year, not on the day the demo ran.
    for inspection in coded:
        assert inspection.created_at.date() < inspection.planned_on
    assert Inspection.objects.filter(created_at__date__lt=TODAY - dt.timedelta(days=180)).exists()
    # Most past visits found no problem; some ordered a rectification (a few now overdue), a
    # few penalised, some of those citing a lenient-list item.
    closed = Inspection.objects.filter(jurisdiction=park, state="closed")
    assert closed.filter(finding="no_problem").count() > closed.count() * 0.8
    assert closed.filter(finding="rectification").count() == figures.rectifications > 0
    assert 0 < figures.rectifications_overdue < figures.rectifications
    assert closed.filter(finding="penalty").count() == figures.penalties > 0
    assert closed.filter(finding="penalty", lenient_item__isnull=False).exists()
    assert not closed.filter(finding="").exists()
    # A few enterprises reported an inspector who came without a code: new demands of the
    # category 执法检查 in the office's intake, counted on the statistics.
    reports = Demand.objects.filter(category__name="执法检查", enterprise__jurisdiction=park)
    assert reports.count() == figures.unregistered_reports == 3
    assert set(reports.values_list("state", flat=True)) == {"received"}
    assert queries.unregistered_report_count(park.path, year) == 3
