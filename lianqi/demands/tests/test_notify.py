"""Who hears about each step of a demand: the department on assignment, the enterprise on
reply, the liaison on every change, the service office on send-back and escalation; never
twice, never the actor, and never at the cost of the step itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.enterprises.models import Contact
from lianqi.notifications.models import Channel, Notification, NotificationState
from lianqi.notifications.tasks import sweep_due
from lianqi.org.models import Department, Staff
from lianqi.testing.world import make_user

from .. import actions, notify
from ..choices import Channel as DemandChannel
from ..choices import DemandState, Outcome, Venue
from ..models import Demand, DemandEvent
from .factories import handler, make_demand

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
#: Delivery right after the commit, in the same process, so the first attempt can be checked.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def received(world: Any, **fields: Any) -> Demand:
    return make_demand(world, DemandState.RECEIVED, **fields)


def notes_for(user: Any, channel: str = Channel.IN_APP) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, channel=channel))


def assign(world: Any, demand: Demand, co: tuple[Department, ...] = ()) -> Demand:
    return actions.assign_demand(
        demand=demand,
        actor=world.user(Role.SERVICE_OFFICE),
        expected_version=demand.version,
        department=world.home.department,
        co_departments=co,
        workdays_limit=3,
        at=AT,
    )


def reply(world: Any, demand: Demand) -> Demand:
    """The lead department signs for the demand, then replies."""
    lead = handler(world.home)
    demand = actions.sign_demand(demand=demand, actor=lead, expected_version=demand.version, at=AT)
    return actions.reply_demand(
        demand=demand,
        actor=lead,
        expected_version=demand.version,
        outcome=Outcome.SOLVED,
        note="已协调银行放款",
        at=AT,
    )


class RaisingSmsSender:
    """An SMS gateway that is down: every attempt raises."""

    def send(self, notification: Notification) -> None:
        raise ConnectionError("SMS gateway unreachable")


def test_assign_tells_the_lead_and_co_departments_in_app_and_by_email(world: Any) -> None:
    lead = handler(world.home)
    lead.email = "jfj@example.cn"
    lead.save()
    co_department = Department.objects.create(jurisdiction=world.home.park, name="税务局")
    co_user = make_user("co_handler", Role.DEPARTMENT_HANDLER, world.home.park)
    Staff.objects.create(
        jurisdiction=world.home.park, name="税务经办", department=co_department, user=co_user
    )
    demand = assign(world, received(world), co=(co_department,))

    (in_app,) = notes_for(lead)
    assert in_app.subject.startswith("新交办诉求：")
    assert demand.due_on is not None and demand.due_on.isoformat() in in_app.subject
    assert in_app.link == f"/demands/{demand.pk}/"
    (email,) = notes_for(lead, Channel.EMAIL)
    assert email.subject == in_app.subject
    (co_note,) = notes_for(co_user)
    assert co_note.subject.startswith("新协办诉求：")
    assert not notes_for(co_user, Channel.EMAIL)  # no address, no email row
    # The office took the step: it is not told about it, nor is the other park.
    assert not notes_for(world.user(Role.SERVICE_OFFICE))
    assert not Notification.objects.filter(recipient__in=world.other.users.values()).exists()


def test_liaison_hears_every_change_except_their_own(world: Any) -> None:
    liaison = world.user(Role.LIAISON)
    demand = actions.submit_demand(
        enterprise=world.home.enterprise,
        category=received(world).category,
        channel=DemandChannel.LIAISON,
        description="需要办理施工许可",
        actor=liaison,
        at=AT,
    )
    assert not notes_for(liaison)  # their own submission
    assign(world, demand)
    (note,) = notes_for(liaison)
    assert "交办" in note.subject and world.home.enterprise.name in note.subject
    assert "已受理 → 已交办" in note.body


def test_reply_texts_the_code_filer_and_tells_enterprise_users_and_liaison(world: Any) -> None:
    demand = received(world, channel=DemandChannel.ENTERPRISE_CODE, contact_phone="13912345678")
    demand = reply(world, assign(world, demand))

    (sms,) = Notification.objects.filter(channel=Channel.SMS)
    assert sms.address == "13912345678" and sms.recipient is None
    assert sms.link == f"/c/{world.home.enterprise.code_token}/demands/{demand.pk}/"
    (in_app,) = notes_for(world.user(Role.ENTERPRISE))
    assert in_app.subject.startswith("您的诉求已答复") and "已协调银行放款" in in_app.body
    liaison_subjects = [n.subject for n in notes_for(world.user(Role.LIAISON))]
    assert any("答复" in s for s in liaison_subjects)


@override_settings(LIANQI_SITE_URL="https://lianqi.example.gov.cn/")
def test_reply_falls_back_to_the_primary_contact_with_an_absolute_link(world: Any) -> None:
    Contact.objects.create(enterprise=world.home.enterprise, name="张三", phone="13700000000")
    Contact.objects.create(
        enterprise=world.home.enterprise, name="李四", phone="13711112222", is_primary=True
    )
    demand = reply(world, assign(world, received(world)))
    (sms,) = Notification.objects.filter(channel=Channel.SMS)
    assert sms.address == "13711112222"
    assert (
        sms.link == f"https://lianqi.example.gov.cn/c/{world.home.enterprise.code_token}/demands/{demand.pk}/"
    )


def test_reply_without_any_phone_skips_the_sms_quietly(world: Any) -> None:
    demand = reply(world, assign(world, received(world)))
    assert demand.state == DemandState.REPLIED
    assert not Notification.objects.filter(channel=Channel.SMS).exists()
    assert notes_for(world.user(Role.ENTERPRISE))


def test_send_back_and_escalation_tell_the_office_up_the_tree_only(world: Any) -> None:
    city_office = make_user("city_office", Role.SERVICE_OFFICE, world.city)
    demand = assign(world, received(world))
    demand = actions.send_back_demand(
        demand=demand,
        actor=handler(world.home),
        expected_version=demand.version,
        reason="不属本部门职责",
        at=AT,
    )
    office = world.user(Role.SERVICE_OFFICE)
    (note,) = notes_for(office)
    assert note.subject.startswith("诉求被退回") and "不属本部门职责" in note.body
    assert len(notes_for(city_office)) == 1
    assert not notes_for(world.other_user(Role.SERVICE_OFFICE))

    demand = actions.reroute_demand(
        demand=demand, actor=office, expected_version=demand.version, department=world.home.department, at=AT
    )
    actions.escalate_demand(
        demand=demand,
        actor=world.user(Role.LEADER),
        expected_version=demand.version,
        venue=Venue.ROUNDTABLE,
        meeting="三月企业接待日",
        meeting_on=dt.date(2026, 3, 20),
        owner=world.home.liaison_staff,
        at=AT,
    )
    subjects = sorted(n.subject for n in notes_for(office))
    assert len(subjects) == 2 and subjects[0].startswith("诉求已提级协调")


def test_one_event_never_notifies_twice(world: Any) -> None:
    handler(world.home)
    demand = assign(world, received(world))
    before = Notification.objects.count()
    event = DemandEvent.objects.get(demand=demand, action="assign")
    notify.event_recorded(event)
    notify.event_recorded(event)
    assert Notification.objects.count() == before
    keys = list(Notification.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys))


def test_messages_are_stored_in_chinese_whatever_the_request_language(world: Any) -> None:
    lead = handler(world.home)
    with translation.override("en"):
        assign(world, received(world))
    (note,) = notes_for(lead)
    assert note.subject.startswith("新交办诉求")


def test_failing_sms_gateway_keeps_the_reply_and_retries_with_backoff(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    demand = assign(
        world, received(world, channel=DemandChannel.ENTERPRISE_CODE, contact_phone="13912345678")
    )
    with (
        override_settings(LIANQI_SMS_SENDER=f"{__name__}.RaisingSmsSender", TASKS=IMMEDIATE_TASKS),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
    ):
        demand = reply(world, demand)
    assert callbacks  # delivery was asked for after the commit, not inside the step
    demand.refresh_from_db()
    assert demand.state == DemandState.REPLIED and demand.reply == "已协调银行放款"

    sms = Notification.objects.get(channel=Channel.SMS)
    assert (sms.state, sms.attempts) == (NotificationState.FAILED, 1)
    assert "SMS gateway unreachable" in sms.last_error
    assert sms.next_attempt_at is not None
    first_retry = sms.next_attempt_at
    # In-app messages of the same step went out regardless.
    (enterprise_note,) = notes_for(world.user(Role.ENTERPRISE))
    assert enterprise_note.state == NotificationState.SENT

    with override_settings(LIANQI_SMS_SENDER=f"{__name__}.RaisingSmsSender"):
        sweep_due(at=first_retry - dt.timedelta(seconds=1))
        sms.refresh_from_db()
        assert sms.attempts == 1  # not due yet: the backoff holds
        sweep_due(at=first_retry)
    sms.refresh_from_db()
    assert (sms.state, sms.attempts) == (NotificationState.FAILED, 2)
    # The second wait is twice the first (1 min, then 2 min, plus at most 10 % jitter).
    assert dt.timedelta(minutes=2) <= sms.next_attempt_at - first_retry <= dt.timedelta(minutes=2.2)

    sweep_due(at=sms.next_attempt_at)  # the gateway is back (the default log sender)
    sms.refresh_from_db()
    assert (sms.state, sms.attempts) == (NotificationState.SENT, 3)


def test_a_broken_notification_never_undoes_the_step(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    handler(world.home)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("outbox table missing")

    monkeypatch.setattr(notify, "queue_notification", broken)
    demand = assign(world, received(world))
    demand.refresh_from_db()
    assert demand.state == DemandState.ASSIGNED
    assert DemandEvent.objects.filter(demand=demand, action="assign").exists()
    assert not Notification.objects.exists()


def test_muted_history_replay_notifies_nobody(world: Any) -> None:
    handler(world.home)
    with notify.muted():
        demand = assign(world, received(world))
    assert not Notification.objects.exists()
    actions.remind_demand(
        demand=demand, actor=world.user(Role.SERVICE_OFFICE), expected_version=demand.version, at=AT
    )
    assert Notification.objects.filter(subject__startswith="催办").exists()
