"""Joining another department's visit at registration (综合查一次): the page proposes it when
another department registered the same enterprise for the same day, joining merges the two
into one visit that the caps count once, and a join that does not fit is refused on its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.demands.tests.factories import handler
from lianqi.testing.world import World

from .. import actions
from ..models import Inspection
from .factories import make_inspector, make_item, other_department_inspection, registration

pytestmark = pytest.mark.django_db


def form_data(world: World, day: dt.date, **changes: Any) -> dict[str, Any]:
    return {
        "department": world.home.department.pk,
        "item": make_item(world.home).pk,
        "trigger": "plan",
        "plan_reference": "湘潭高新经发〔2025〕3号",
        "planned_on": day.isoformat(),
        "inspectors": [make_inspector(world.home, 1).pk, make_inspector(world.home, 2).pk],
    } | changes


def test_the_page_proposes_the_same_day_visit_and_joining_merges_it(world: World) -> None:
    day = timezone.localdate() + dt.timedelta(days=7)
    theirs = other_department_inspection(world, day)
    client = Client()
    client.force_login(handler(world.home))
    url = reverse("inspections:create", args=[world.home.enterprise.pk])
    proposed = client.post(url, form_data(world, day))
    page = proposed.content.decode()
    assert proposed.status_code == 200 and "建议加入其检查" in page and str(theirs.code) in page
    assert Inspection.objects.count() == 1
    joined = client.post(url, form_data(world, day, join=theirs.pk, offered="1"))
    assert joined.status_code == 302
    mine = Inspection.objects.exclude(pk=theirs.pk).get()
    theirs.refresh_from_db()
    assert mine.joint_visit is not None and mine.joint_visit == theirs.joint_visit
    assert mine.joint_visit.lead_department == theirs.department and not mine.cap_warnings


def test_declining_the_proposal_registers_separately_within_the_caps_only(world: World) -> None:
    day = timezone.localdate() + dt.timedelta(days=7)
    other_department_inspection(world, day)
    client = Client()
    client.force_login(handler(world.home))
    url = reverse("inspections:create", args=[world.home.enterprise.pk])
    # A second visit the same day is over the daily cap of 1: refused, naming the rule.
    refused = client.post(url, form_data(world, day, join="", offered="1")).content.decode()
    assert "超过每天 1 次的上限" in refused and Inspection.objects.count() == 1


def test_a_join_of_another_day_or_the_same_department_is_refused_on_its_field(world: World) -> None:
    day = timezone.localdate() + dt.timedelta(days=7)
    theirs = other_department_inspection(world, day)
    with pytest.raises(ValidationError) as refused:
        actions.register_inspection(**registration(world, planned_on=day + dt.timedelta(days=1), join=theirs))
    assert "join" in refused.value.message_dict
    mine = actions.register_inspection(**registration(world, planned_on=day, join=theirs))
    assert mine.joint_visit_id is not None and mine.code


def test_the_api_registers_a_joining_inspection(world: World) -> None:
    day = timezone.localdate() + dt.timedelta(days=7)
    theirs = other_department_inspection(world, day)
    client = Client()
    client.force_login(world.user("service_office"))
    body = form_data(world, day, join=theirs.pk, enterprise=world.home.enterprise.pk)
    response = client.post("/api/v1/inspections/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    theirs.refresh_from_db()
    assert response.json()["joint_visit"] == theirs.joint_visit_id is not None


def test_a_park_s_joint_window_offers_a_visit_days_apart_and_joining_takes_its_day(world: World) -> None:
    """With a three-day window set on the caps page, a registration two days after another
    department's visit is proposed to join it and, joined, happens on that visit's day; a visit
    four days away is not offered."""
    office = Client()
    office.force_login(world.user("service_office"))
    caps = {"per_day": "1", "per_week": "2", "per_month": "3", "joint_window_days": "3"}
    assert office.post(reverse("inspections:caps"), caps).status_code == 302
    assert 'name="joint_window_days" value="3"' in office.get(reverse("inspections:caps")).content.decode()
    refused = office.post(reverse("inspections:caps"), caps | {"joint_window_days": "31"}).content.decode()
    assert 'data-error-for="joint_window_days"' in refused
    day = timezone.localdate() + dt.timedelta(days=7)
    theirs = other_department_inspection(world, day)
    client = Client()
    client.force_login(handler(world.home))
    url = reverse("inspections:create", args=[world.home.enterprise.pk])
    later = day + dt.timedelta(days=2)
    proposed = client.post(url, form_data(world, later)).content.decode()
    assert "建议加入其检查" in proposed and str(theirs.code) in proposed
    assert client.post(url, form_data(world, later, join=theirs.pk, offered="1")).status_code == 302
    mine = Inspection.objects.exclude(pk=theirs.pk).get()
    assert mine.planned_on == day and mine.joint_visit_id is not None
    with pytest.raises(ValidationError) as too_far:
        actions.register_inspection(**registration(world, planned_on=day + dt.timedelta(days=4), join=theirs))
    assert "join" in too_far.value.message_dict
