"""The outbox as a workflow sees it: queued messages follow the caller's transaction, failures
are retried with backoff by the sweep, and nothing a channel does reaches back into the caller."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.enterprises.models import Enterprise
from lianqi.notifications import actions, queries
from lianqi.notifications.models import Channel, Notification, NotificationState
from lianqi.notifications.tasks import sweep_due

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class FlakySmsSender:
    """Fails `failures_left` times, then delivers; records what it delivered."""

    failures_left = 0
    delivered: list[int] = []

    def send(self, notification: Notification) -> None:
        if FlakySmsSender.failures_left > 0:
            FlakySmsSender.failures_left -= 1
            raise ConnectionError("gateway timeout")
        FlakySmsSender.delivered.append(notification.pk)


@pytest.fixture
def flaky_sms(settings):
    settings.LIANQI_SMS_SENDER = f"{__name__}.FlakySmsSender"
    FlakySmsSender.delivered = []
    FlakySmsSender.failures_left = 0
    return FlakySmsSender


class Boom(Exception):
    pass


def test_rolled_back_workflow_queues_and_sends_nothing(world, mailoutbox, django_capture_on_commit_callbacks):
    user = world.user(Role.LIAISON)
    user.email = "liaison@example.cn"
    user.save()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        actions.queue_notification(channel=Channel.EMAIL, recipient=user, subject="新诉求已交办")
        raise Boom
    assert not Notification.objects.exists()
    assert callbacks == []
    assert mailoutbox == []


def test_committed_workflow_delivers_on_commit(world, mailoutbox, django_capture_on_commit_callbacks):
    user = world.user(Role.DEPARTMENT_HANDLER)
    user.email = "dept@example.cn"
    user.save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        note = actions.queue_notification(
            channel=Channel.EMAIL,
            recipient=user,
            subject="新诉求已交办",
            body="请在5个工作日内签收",
            link="/demands/7/",
        )
        # Nothing leaves before the workflow commits.
        assert mailoutbox == []
    note.refresh_from_db()
    assert note.state == NotificationState.SENT
    assert note.attempts == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["dept@example.cn"]
    assert mailoutbox[0].subject == "新诉求已交办"
    assert "/demands/7/" in mailoutbox[0].body


def test_sent_notification_is_not_sent_again(world, mailoutbox):
    note = actions.queue_notification(
        channel=Channel.EMAIL, address="boss@example.cn", subject="诉求已答复", at=T0
    )
    actions.deliver(note.pk, at=T0)
    actions.deliver(note.pk, at=T0 + dt.timedelta(hours=1))
    assert sweep_due(at=T0 + dt.timedelta(days=1)) == 0
    assert len(mailoutbox) == 1


def _next_attempt(note: Notification) -> dt.datetime:
    assert note.next_attempt_at is not None
    return note.next_attempt_at


def test_failing_sender_is_retried_with_backoff_by_the_sweep(world, flaky_sms):
    flaky_sms.failures_left = 2
    note = actions.queue_notification(channel=Channel.SMS, address="13812345678", subject="诉求已逾期", at=T0)

    assert sweep_due(at=T0) == 1
    note.refresh_from_db()
    assert (note.state, note.attempts) == (NotificationState.FAILED, 1)
    assert "gateway timeout" in note.last_error
    retry_at = _next_attempt(note)
    first_wait = retry_at - T0
    assert dt.timedelta(minutes=1) <= first_wait <= dt.timedelta(minutes=1.1)

    # Not a second early.
    assert sweep_due(at=retry_at - dt.timedelta(seconds=1)) == 0
    note.refresh_from_db()
    assert note.attempts == 1

    assert sweep_due(at=retry_at) == 1
    note.refresh_from_db()
    assert (note.state, note.attempts) == (NotificationState.FAILED, 2)
    final_at = _next_attempt(note)
    second_wait = final_at - retry_at
    assert dt.timedelta(minutes=2) <= second_wait <= dt.timedelta(minutes=2.2)
    assert second_wait > first_wait

    assert sweep_due(at=final_at - dt.timedelta(seconds=1)) == 0
    assert flaky_sms.delivered == []
    assert sweep_due(at=final_at) == 1
    note.refresh_from_db()
    assert (note.state, note.attempts) == (NotificationState.SENT, 3)
    assert note.sent_at == final_at
    assert note.next_attempt_at is None
    assert flaky_sms.delivered == [note.pk]


def test_backoff_is_capped():
    assert actions.backoff(1) == dt.timedelta(minutes=1)
    assert actions.backoff(4) == dt.timedelta(minutes=8)
    assert actions.backoff(30) == dt.timedelta(hours=6)


def test_after_max_attempts_the_notification_is_dead(world, flaky_sms, settings):
    settings.LIANQI_NOTIFICATION_MAX_ATTEMPTS = 3
    flaky_sms.failures_left = 100
    note = actions.queue_notification(channel=Channel.SMS, address="13812345678", subject="诉求被退回", at=T0)
    at = T0
    for _ in range(3):
        assert sweep_due(at=at) == 1
        note.refresh_from_db()
        at = note.next_attempt_at or at
    assert note.state == NotificationState.DEAD
    assert note.attempts == 3
    assert note.next_attempt_at is None
    assert sweep_due(at=T0 + dt.timedelta(days=30)) == 0
    assert flaky_sms.delivered == []


def test_failing_channel_never_affects_the_callers_transaction(
    world, flaky_sms, django_capture_on_commit_callbacks
):
    flaky_sms.failures_left = 100
    enterprise = world.home.enterprise
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Enterprise.objects.filter(pk=enterprise.pk).update(address="新地址88号")
        note = actions.queue_notification(
            channel=Channel.SMS, address="13812345678", subject="联企干部已调整"
        )
    enterprise.refresh_from_db()
    assert enterprise.address == "新地址88号"
    note.refresh_from_db()
    assert note.state == NotificationState.FAILED
    assert note.attempts == 1


def test_same_event_is_queued_once(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first = actions.queue_notification(
            channel=Channel.EMAIL, address="a@example.cn", subject="诉求已答复", dedupe_key="demand:7:reply"
        )
        again = actions.queue_notification(
            channel=Channel.EMAIL, address="a@example.cn", subject="诉求已答复", dedupe_key="demand:7:reply"
        )
        other = actions.queue_notification(
            channel=Channel.EMAIL, address="a@example.cn", subject="诉求已答复", dedupe_key="demand:8:reply"
        )
    assert again.pk == first.pk
    assert other.pk != first.pk
    assert Notification.objects.count() == 2
    assert len(mailoutbox) == 2


def test_in_app_unread_is_per_user_and_mark_read(world):
    me = world.user(Role.LIAISON)
    someone = world.other_user(Role.LIAISON)
    mine = actions.queue_notification(channel=Channel.IN_APP, recipient=me, subject="新诉求", at=T0)
    theirs = actions.queue_notification(channel=Channel.IN_APP, recipient=someone, subject="新诉求", at=T0)
    sweep_due(at=T0)
    assert list(queries.unread_for(me)) == [mine]
    assert list(queries.unread_for(someone)) == [theirs]

    with pytest.raises(Notification.DoesNotExist):
        actions.mark_read(notification=theirs, user=me, at=T0)
    assert queries.unread_for(someone).count() == 1

    actions.mark_read(notification=mine, user=me, at=T0 + dt.timedelta(minutes=5))
    assert queries.unread_for(me).count() == 0
    assert list(queries.inbox_for(me)) == [mine]
    mine.refresh_from_db()
    assert mine.read_at == T0 + dt.timedelta(minutes=5)


def test_sms_log_sender_masks_the_phone(world, caplog):
    note = actions.queue_notification(
        channel=Channel.SMS, address="13812345678", subject="诉求已逾期", link="/demands/9/", at=T0
    )
    with caplog.at_level(logging.INFO, logger="lianqi.notifications"):
        actions.deliver(note.pk, at=T0)
    note.refresh_from_db()
    assert note.state == NotificationState.SENT
    assert "138****5678" in caplog.text
    assert "13812345678" not in caplog.text


def test_email_without_address_is_given_up_at_once(world, mailoutbox):
    user = world.user(Role.ENTERPRISE)
    user.email = ""
    user.save()
    note = actions.queue_notification(channel=Channel.EMAIL, recipient=user, subject="诉求已答复", at=T0)
    actions.deliver(note.pk, at=T0)
    note.refresh_from_db()
    assert (note.state, note.attempts) == (NotificationState.DEAD, 1)
    assert mailoutbox == []


def test_command_sweeps_and_stats_count(world, mailoutbox):
    now = timezone.now()
    actions.queue_notification(channel=Channel.EMAIL, address="a@example.cn", subject="一", at=now)
    actions.queue_notification(
        channel=Channel.EMAIL, address="b@example.cn", subject="二", at=now + dt.timedelta(hours=1)
    )
    stats = queries.outbox_stats(at=now)
    assert (stats["pending"], stats["due"], stats["sent"]) == (2, 1, 0)
    call_command("send_notifications")
    assert [m.to for m in mailoutbox] == [["a@example.cn"]]
    stats = queries.outbox_stats(at=now)
    assert (stats["pending"], stats["due"], stats["sent"]) == (1, 0, 1)
