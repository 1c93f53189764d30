"""Registering inspections before entry, and what a registration refuses or flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from lianqi.core.workflow import TransitionNotAllowed

from .. import actions
from ..choices import InspectionState
from ..models import QuietPeriod
from ..permissions import access_inspection
from .factories import PLANNED, make_inspector, registration

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def test_registration_gets_a_code_and_the_enterprise_sees_it(world):
    row = actions.register_inspection(**registration(world))
    assert row.code and row.state == InspectionState.REGISTERED
    assert row.cap_warnings == []
    assert access_inspection(world.user("enterprise"), row.pk) == row


def test_no_code_without_a_filed_plan_or_a_stated_trigger(world):
    assert "plan_reference" in errors_of(
        lambda: actions.register_inspection(**registration(world, plan_reference=""))
    )
    complaint = registration(world, trigger="complaint", plan_reference="")
    assert "trigger_note" in errors_of(lambda: actions.register_inspection(**complaint))
    assert "trigger" in errors_of(lambda: actions.register_inspection(**registration(world, trigger="whim")))


def test_inspectors_must_be_qualified_and_in_the_departments_pool(world):
    expired = make_inspector(world.home, 7, qualified_until=PLANNED - dt.timedelta(days=1))
    foreign = make_inspector(world.other, 8)
    fine = make_inspector(world.home, 9)
    for team in ([fine, expired], [fine, foreign], [fine]):
        assert "inspectors" in errors_of(
            lambda team=team: actions.register_inspection(**registration(world, inspectors=team))
        )


def test_quiet_period_stops_plans_but_not_complaints(world):
    QuietPeriod.objects.create(
        jurisdiction=world.home.park,
        enterprise=world.home.enterprise,
        starts_on=PLANNED,
        ends_on=PLANNED + dt.timedelta(days=30),
        reason="新落户企业",
    )
    assert "planned_on" in errors_of(lambda: actions.register_inspection(**registration(world)))
    complaint = registration(
        world, trigger="complaint", plan_reference="", trigger_note="12345 热线转来的噪声投诉"
    )
    assert actions.register_inspection(**complaint).pk


def test_frequency_caps_are_flagged_and_a_joint_visit_counts_once(world):
    team = [make_inspector(world.home, 1), make_inspector(world.home, 2)]
    first = actions.register_inspection(**registration(world, inspectors=team))
    second = actions.register_inspection(**registration(world, inspectors=team))
    assert any("同一天" in w for w in second.cap_warnings)
    actions.merge_joint_visit(
        inspections=[first, second], lead_department=world.home.department, actor=world.user("service_office")
    )
    # Thursday of the same week: one joint visit so far, so the day cap is not reached, the week's is (2).
    third = actions.register_inspection(
        **registration(world, inspectors=team, planned_on=PLANNED + dt.timedelta(days=1))
    )
    assert third.cap_warnings == []
    fourth = actions.register_inspection(
        **registration(world, inspectors=team, planned_on=PLANNED + dt.timedelta(days=2))
    )
    assert any("同一周" in w for w in fourth.cap_warnings)


def test_another_jurisdiction_can_neither_register_nor_read(world):
    row = actions.register_inspection(**registration(world))
    with pytest.raises(Http404):
        access_inspection(world.other_user("service_office"), row.pk)
    stranger = registration(world, actor=world.other_user("service_office"))
    assert "enterprise" in errors_of(lambda: actions.register_inspection(**stranger))


def test_check_in_needs_the_enterprises_own_code_then_the_result_closes(world):
    row = actions.register_inspection(**registration(world))
    office = world.user("service_office")
    wrong = world.other.enterprise.code_token
    assert "scanned_code" in errors_of(
        lambda: actions.check_in_inspection(
            inspection=row, actor=office, expected_version=row.version, scanned_code=wrong
        )
    )
    scanned = f"https://lianqi.example/c/{world.home.enterprise.code_token}/"
    row = actions.check_in_inspection(
        inspection=row, actor=office, expected_version=row.version, scanned_code=scanned
    )
    assert row.state == InspectionState.CHECKED_IN and row.checked_in_at
    with pytest.raises(TransitionNotAllowed):
        actions.cancel_inspection(inspection=row, actor=office, expected_version=row.version, note="x")
    row = actions.close_inspection(
        inspection=row, actor=office, expected_version=row.version, result="未发现问题"
    )
    assert row.state == InspectionState.CLOSED
    assert [e.action for e in row.events.order_by("pk")] == ["create", "check_in", "close"]


def test_enterprise_rates_a_visit_once_after_entry(world):
    row = actions.register_inspection(**registration(world))
    enterprise = world.home.enterprise
    assert "inspection" in errors_of(
        lambda: actions.rate_inspection(inspection=row, enterprise=enterprise, score=5)
    )
    office = world.user("service_office")
    row = actions.check_in_inspection(
        inspection=row, actor=office, expected_version=row.version, scanned_code=enterprise.code_token
    )
    assert "score" in errors_of(
        lambda: actions.rate_inspection(inspection=row, enterprise=enterprise, score="9")
    )
    assert actions.rate_inspection(inspection=row, enterprise=enterprise, score="4").score == 4
    assert "inspection" in errors_of(
        lambda: actions.rate_inspection(inspection=row, enterprise=enterprise, score=5)
    )


def test_measures_count_joint_share_cap_warnings_and_hide_ratings_below_five(world):
    from lianqi.core.registry import Period

    from .. import queries

    team = [make_inspector(world.home, 1), make_inspector(world.home, 2)]
    first = actions.register_inspection(**registration(world, inspectors=team))
    second = actions.register_inspection(**registration(world, inspectors=team))
    actions.merge_joint_visit(
        inspections=[first, second], lead_department=world.home.department, actor=world.user("service_office")
    )
    actions.register_inspection(
        **registration(world, inspectors=team, planned_on=PLANNED + dt.timedelta(days=10))
    )
    month = Period(PLANNED.replace(day=1), PLANNED.replace(day=31))
    path = world.home.park.path
    assert queries.registered_count(path, month) == 3
    assert str(queries.joint_share(path, month)) == "66.7"
    assert queries.cap_warning_count(path, month) == 1  # the second, registered before the merge
    office = world.user("service_office")
    for row in (first, second):
        row.refresh_from_db()  # the merge moved its version on
        row = actions.check_in_inspection(
            inspection=row,
            actor=office,
            expected_version=row.version,
            scanned_code=world.home.enterprise.code_token,
        )
        actions.rate_inspection(inspection=row, enterprise=world.home.enterprise, score=5)
    assert queries.average_rating(path, month) is None  # two ratings would tell on the firm
