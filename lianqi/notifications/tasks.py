"""Background work of the notification outbox. Tasks take the notification's id and read it
afresh, so a task that runs twice, late, or alongside the sweep sends the message once.

The database task backend neither retries a failed task nor recovers a killed worker's task;
retries are the outbox's own (`next_attempt_at`), and `sweep_due` — run from cron or by
`manage.py send_notifications --loop` — is what delivers anything left behind."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from . import actions
from .models import Notification

logger = logging.getLogger("lianqi.notifications")

SWEEP_BATCH = 500


@task()
def deliver_notification(notification_id: int) -> None:
    """Make one delivery attempt for a notification that has just been queued."""
    actions.deliver(notification_id, at=timezone.now())


def enqueue_delivery(sender: object, *, notification_id: int, **kwargs: object) -> None:
    """Receiver of `signals.notification_queued` (sent on commit): hand the notification to the
    task queue. If the queue is unavailable the row simply stays due and the sweep sends it, so
    this never raises."""
    try:
        deliver_notification.enqueue(notification_id)
    except Exception:
        logger.exception("could not enqueue notification %s; the sweep will deliver it", notification_id)


def sweep_due(*, at: dt.datetime, limit: int = SWEEP_BATCH) -> int:
    """Attempt every undelivered notification whose next attempt has come by `at`, oldest
    first, at most `limit` of them; returns how many were attempted. Delivery happens here,
    in the sweeping process, so the sweep works even when no task worker is running."""
    due = list(
        Notification.objects.filter(state__in=actions.UNDELIVERED, next_attempt_at__lte=at)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for notification_id in due:
        actions.deliver(notification_id, at=at)
    return len(due)


@task()
def sweep_notifications() -> int:
    """The sweep as a task, for a scheduler that enqueues tasks rather than running commands."""
    return sweep_due(at=timezone.now())
