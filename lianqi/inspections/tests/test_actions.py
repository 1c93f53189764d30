"""Registering inspections before entry, and what a registration refuses or flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from lianqi.core.workflow import TransitionNotAllowed
from lianqi.credit.choices import RecordKind
from lianqi.credit.tests.factories import make_record
from lianqi.demands.tests.factories import handler
from lianqi.org.models import Department

from .. import actions
from ..choices import InspectionState
from ..models import FrequencyCaps, QuietPeriod
from ..permissions import access_inspection
from .factories import PLANNED, make_inspector, make_item, register_over_cap, registration

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


def test_over_the_day_cap_is_refused_unless_the_office_approves_and_a_joint_visit_counts_once(world):
    team = [make_inspector(world.home, 1), make_inspector(world.home, 2)]
    first = actions.register_inspection(**registration(world, inspectors=team))
    refused = errors_of(lambda: actions.register_inspection(**registration(world, inspectors=team)))
    assert any("同一天" in m and "上限" in m for m in refused["planned_on"]) and "exception_reason" in refused
    second = actions.register_inspection(
        **registration(world, inspectors=team, exception_reason="接群众举报须当日复查")
    )
    assert second.state == InspectionState.AWAITING and second.code is None
    # A department handler may not approve; the service office does, and the code is issued.
    with pytest.raises(TransitionNotAllowed):
        actions.approve_inspection(
            inspection=second, actor=handler(world.home), expected_version=second.version, note="同意"
        )
    second = actions.approve_inspection(
        inspection=second,
        actor=world.user("service_office"),
        expected_version=second.version,
        note="同意复查",
    )
    assert second.state == InspectionState.REGISTERED and second.code
    notes = [e.note for e in second.events.order_by("pk")]
    assert "接群众举报须当日复查" in notes[0] and notes[1] == "同意复查"
    actions.merge_joint_visit(
        inspections=[first, second], lead_department=world.home.department, actor=world.user("service_office")
    )
    # Thursday of the same week: one joint visit so far, so the day cap is not reached, the week's is (2).
    third = actions.register_inspection(
        **registration(world, inspectors=team, planned_on=PLANNED + dt.timedelta(days=1))
    )
    assert third.cap_warnings == []
    refused = errors_of(
        lambda: actions.register_inspection(
            **registration(world, inspectors=team, planned_on=PLANNED + dt.timedelta(days=2))
        )
    )
    assert any("同一周" in m for m in refused["planned_on"])


def test_the_office_may_refuse_an_over_cap_inspection_which_then_counts_for_nothing(world):
    actions.register_inspection(**registration(world))
    row = actions.register_inspection(**registration(world, exception_reason="补查"))
    row = actions.refuse_inspection(
        inspection=row, actor=world.user("service_office"), expected_version=row.version, note="请合并检查"
    )
    assert row.state == InspectionState.REFUSED and row.code is None
    assert "note" in errors_of(
        lambda: actions.refuse_inspection(
            inspection=actions.register_inspection(**registration(world, exception_reason="再查")),
            actor=world.user("service_office"),
            expected_version=1,
            note=" ",
        )
    )


MONDAYS = (dt.date(2025, 3, 3), dt.date(2025, 3, 10), dt.date(2025, 3, 17), dt.date(2025, 3, 24))


def test_month_cap_third_allowed_fourth_refused_counted_across_departments(world):
    other = Department.objects.create(jurisdiction=world.home.park, name="消防救援大队")
    theirs: dict[str, Any] = {
        "department": other,
        "item": make_item(world.home, "消防安全检查", department=other),
        "inspectors": [
            make_inspector(world.home, 21, department=other),
            make_inspector(world.home, 22, department=other),
        ],
    }
    actions.register_inspection(**registration(world, planned_on=MONDAYS[0]))
    actions.register_inspection(**registration(world, planned_on=MONDAYS[1], **theirs))
    third = actions.register_inspection(**registration(world, planned_on=MONDAYS[2]))
    assert third.state == InspectionState.REGISTERED
    refused = errors_of(
        lambda: actions.register_inspection(**registration(world, planned_on=MONDAYS[3], **theirs))
    )
    assert any("同一个月内已登记 3 次" in m for m in refused["planned_on"])
    # The turn of the month starts a new count (Tuesday 1 April, a week of its own).
    assert actions.register_inspection(**registration(world, planned_on=dt.date(2025, 4, 1))).code


def test_a_jurisdictions_own_caps_replace_the_default(world):
    FrequencyCaps.objects.create(jurisdiction=world.home.park, per_day=2, per_week=3, per_month=4)
    actions.register_inspection(**registration(world))
    assert actions.register_inspection(**registration(world)).state == InspectionState.REGISTERED
    assert "planned_on" in errors_of(lambda: actions.register_inspection(**registration(world)))


def test_the_items_yearly_cap_counts_the_calendar_year(world):
    item = make_item(world.home, "特种设备检查", yearly_cap=1)
    # Tuesday 30 December and Friday 2 January: one each side of the turn of the year.
    actions.register_inspection(**registration(world, item=item, planned_on=dt.date(2025, 12, 30)))
    assert actions.register_inspection(**registration(world, item=item, planned_on=dt.date(2026, 1, 2))).code
    refused = errors_of(
        lambda: actions.register_inspection(**registration(world, item=item, planned_on=dt.date(2026, 2, 2)))
    )
    assert "超过每年 1 次的上限" in refused["item"][0] and "planned_on" not in refused


def test_registration_needs_a_published_item_of_the_department_whose_rule_the_enterprise_meets(world):
    assert "item" in errors_of(lambda: actions.register_inspection(**registration(world, item=None)))
    draft = make_item(world.home, "职业卫生检查", published=False)
    assert (
        "未公布"
        in errors_of(lambda: actions.register_inspection(**registration(world, item=draft)))["item"][0]
    )
    other = Department.objects.create(jurisdiction=world.home.park, name="应急管理局")
    foreign = make_item(world.home, "危险化学品检查", department=other)
    assert (
        "不是"
        in errors_of(lambda: actions.register_inspection(**registration(world, item=foreign)))["item"][0]
    )
    # An item for manufacturers only: the home enterprise's industry decides.
    rule = {"attribute": "industry", "op": "prefix", "value": ["A"]}
    narrow = actions.save_inspection_item(
        actor=world.user("service_office"),
        department=world.home.department,
        name="粉尘防爆检查",
        law="《工贸企业粉尘防爆安全规定》",
        article="第二十条",
        kind="targeted",
        yearly_cap=2,
        eligibility=rule,
        rule_note="农林牧渔业企业",
    )
    narrow = actions.publish_inspection_item(item=narrow, actor=world.user("service_office"))
    message = errors_of(lambda: actions.register_inspection(**registration(world, item=narrow)))["item"][0]
    assert "不属于" in message and "农林牧渔业企业" in message
    # The item supplies the legal basis and the task.
    row = actions.register_inspection(**registration(world))
    assert (row.task, row.legal_basis) == ("安全生产检查", "《安全生产法》第六十五条")


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
        inspection=row, actor=office, expected_version=row.version, finding="no_problem"
    )
    assert row.state == InspectionState.CLOSED
    assert [e.action for e in row.events.order_by("pk")] == ["create", "check_in", "close"]


def test_enterprise_rates_a_visit_once_after_entry(world):
    row = actions.register_inspection(**registration(world))
    enterprise = world.home.enterprise
    good: dict[str, Any] = {"conduct": 5, "disturbance": 4, "clarity": 4}
    assert "inspection" in errors_of(
        lambda: actions.rate_inspection(inspection=row, enterprise=enterprise, **good)
    )
    office = world.user("service_office")
    row = actions.check_in_inspection(
        inspection=row, actor=office, expected_version=row.version, scanned_code=enterprise.code_token
    )
    refused = errors_of(
        lambda: actions.rate_inspection(inspection=row, enterprise=enterprise, **{**good, "clarity": "9"})
    )
    assert set(refused) == {"clarity"}
    rating = actions.rate_inspection(inspection=row, enterprise=enterprise, **good)
    # 13 over three counts: a mean of 4.33, scored 4; every count kept.
    assert (rating.score, rating.conduct, rating.disturbance, rating.clarity) == (4, 5, 4, 4)
    assert "inspection" in errors_of(
        lambda: actions.rate_inspection(inspection=row, enterprise=enterprise, **good)
    )


def test_measures_count_joint_share_cap_warnings_and_hide_ratings_below_five(world):
    from lianqi.core.registry import Period

    from .. import queries

    team = [make_inspector(world.home, 1), make_inspector(world.home, 2)]
    first = actions.register_inspection(**registration(world, inspectors=team))
    second = register_over_cap(world, inspectors=team)
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
        actions.rate_inspection(
            inspection=row, enterprise=world.home.enterprise, conduct=5, disturbance=5, clarity=4
        )
    assert queries.average_rating(path, month) is None  # two ratings would tell on the firm


def test_the_quiet_rule_reads_the_credit_class_and_spares_complaints(world):
    """无事不扰: the park keeps enterprises of a credit class out of routine inspections. The
    enterprise's class comes from the credit app through the rule engine's attributes: class B
    (no record against it) is spared a planned inspection, not a complaint; once a dishonesty
    record makes it class D, a planned inspection is registered again."""
    office = world.user("service_office")
    refused = errors_of(
        lambda: actions.set_frequency_caps(
            jurisdiction=world.home.park,
            per_day=1,
            per_week=2,
            per_month=3,
            actor=office,
            quiet_eligibility='{"attribute": "credit_class", "op": "in", "value": ["B"]}',
        )
    )
    assert "quiet_note" in refused
    assert "quiet_eligibility" in errors_of(
        lambda: actions.set_frequency_caps(
            jurisdiction=world.home.park,
            per_day=1,
            per_week=2,
            per_month=3,
            actor=office,
            quiet_eligibility='{"attribute": "credit_grade", "op": "in", "value": ["B"]}',
            quiet_note="信用B级企业",
        )
    )
    actions.set_frequency_caps(
        jurisdiction=world.home.park,
        per_day=1,
        per_week=2,
        per_month=3,
        actor=office,
        quiet_eligibility='{"attribute": "credit_class", "op": "in", "value": ["B"]}',
        quiet_note="信用B级企业",
    )
    planned = errors_of(lambda: actions.register_inspection(**registration(world)))
    assert any("无事不扰" in m and "信用B级企业" in m for m in planned["planned_on"])
    complaint = registration(
        world, trigger="complaint", plan_reference="", trigger_note="12345 热线转来的投诉"
    )
    assert actions.register_inspection(**complaint).pk
    make_record(world, kind=RecordKind.BLACKLIST)  # class D now
    assert actions.register_inspection(**registration(world, planned_on=PLANNED + dt.timedelta(days=7))).pk


def test_a_service_visit_is_registered_like_an_inspection_and_says_what_it_is(world):
    """帮扶指导: a service visit gets its code, counts towards the caps and says so on its page;
    a kind that is neither is refused on its field."""
    row = actions.register_inspection(**registration(world, visit_kind="service"))
    assert row.code and row.visit_kind == "service"
    refused = errors_of(lambda: actions.register_inspection(**registration(world, visit_kind="tea")))
    assert "visit_kind" in refused
    over = errors_of(lambda: actions.register_inspection(**registration(world, task="消防检查")))
    assert any("同一天" in m for m in over["planned_on"])
