"""Delivery as background work on the database task backend (the default outside tests):
queuing a message inside a workflow only stores a task after the workflow commits, and the
database worker then delivers it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from lianqi.core.roles import Role
from lianqi.notifications import actions
from lianqi.notifications.models import Channel, Notification, NotificationState

# Real commits: the worker, like the deployed one, runs in autocommit and closes a connection it
# finds inside a transaction, which is what a test wrapped in one would look like to it.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DATABASE_TASKS)
def test_delivery_is_a_database_task_after_commit_run_by_the_worker(world: Any) -> None:
    user = world.user(Role.DEPARTMENT_HANDLER)
    user.email = "dept@example.cn"
    user.save()
    with transaction.atomic():
        note = actions.queue_notification(channel=Channel.EMAIL, recipient=user, subject="新交办诉求")
        # Inside the workflow's transaction nothing is enqueued yet.
        assert not DBTaskResult.objects.exists()
    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "lianqi.notifications.tasks.deliver_notification"
    assert task.args_kwargs["args"] == [note.pk]
    note.refresh_from_db()
    assert note.state == NotificationState.PENDING  # the request did not deliver it itself

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    note.refresh_from_db()
    assert note.state == NotificationState.SENT
    assert Notification.objects.filter(state=NotificationState.SENT).count() == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_demand_sweeps_run_as_a_task(world: Any) -> None:
    from lianqi.demands.tasks import run_sweeps

    result = run_sweeps.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    result.refresh()
    assert result.return_value is not None
    assert set(result.return_value) == {
        "deadline_warnings",
        "overdue_reminders",
        "return_visits",
        "statistics_days",
        "sweep_due",
    }
