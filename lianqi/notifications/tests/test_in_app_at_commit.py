"""In-app messages need no worker: a workflow that commits puts its message in the recipient's
inbox at that moment (and one that rolls back, never), while e-mail and SMS wait in the outbox
for the task queue. Run against the database task backend with no worker at all, as a site
whose worker is down would be."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lianqi.core.roles import Role
from lianqi.notifications import actions
from lianqi.notifications.models import Channel, Notification, NotificationState
from lianqi.notifications.tasks import sweep_due

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class Boom(Exception):
    pass


def inbox_page(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("notifications:inbox")).content.decode()


@override_settings(TASKS=DATABASE_TASKS)
def test_in_app_message_is_in_the_inbox_at_commit_while_email_and_sms_wait_for_a_worker(world: Any) -> None:
    user = world.user(Role.DEPARTMENT_HANDLER)
    user.email = "dept@example.cn"
    user.save()
    with transaction.atomic():
        actions.queue_notification(channel=Channel.IN_APP, recipient=user, subject="新诉求已交办请签收")
        actions.queue_notification(channel=Channel.EMAIL, recipient=user, subject="邮件：新诉求已交办")
        actions.queue_notification(channel=Channel.SMS, address="13812345678", subject="短信：新诉求已交办")
        # Not before the workflow commits: another connection would see nothing yet.
        assert not DBTaskResult.objects.exists()

    # No worker has run: the in-app message is already there, unread, on the page and the bell.
    page = inbox_page(user)
    assert "新诉求已交办请签收" in page
    assert 'data-testid="unread-count">1<' in page
    in_app = Notification.objects.get(channel=Channel.IN_APP)
    assert in_app.state == NotificationState.SENT and in_app.sent_at is not None
    # E-mail and SMS are still pending, each with one delivery task queued for a worker.
    waiting = Notification.objects.exclude(channel=Channel.IN_APP)
    assert {n.state for n in waiting} == {NotificationState.PENDING}
    tasks = DBTaskResult.objects.all()
    assert sorted(t.args_kwargs["args"][0] for t in tasks) == sorted(n.pk for n in waiting)


@override_settings(TASKS=DATABASE_TASKS)
def test_rolled_back_workflow_leaves_nothing_in_the_inbox(world: Any) -> None:
    user = world.user(Role.LIAISON)
    with pytest.raises(Boom), transaction.atomic():
        actions.queue_notification(channel=Channel.IN_APP, recipient=user, subject="不该出现的消息")
        raise Boom
    assert "不该出现的消息" not in inbox_page(user)
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()


@override_settings(TASKS=DATABASE_TASKS)
def test_in_app_message_is_not_delivered_again_by_the_sweep(world: Any) -> None:
    user = world.user(Role.LIAISON)
    note = actions.queue_notification(channel=Channel.IN_APP, recipient=user, subject="只出现一次")
    assert sweep_due(at=timezone.now()) == 0
    assert actions.deliver(note.pk, at=timezone.now()) is None
    note.refresh_from_db()
    assert (note.state, note.attempts) == (NotificationState.SENT, 1)
    assert inbox_page(user).count("只出现一次") == 1
