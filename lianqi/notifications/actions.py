"""Every write to the notification outbox.

`queue_notification` is called inside a workflow's transaction: it only inserts the row (an
in-app message as already delivered: the row is the message) and asks for delivery once that
transaction commits, so a rolled-back workflow sends nothing and a
failing channel can never roll back the workflow (the delivery is queued by the tasks, on
`signals.notification_queued`). `deliver` makes one attempt and, on failure,
schedules the next one with exponential backoff; the periodic sweep picks up whatever is due,
which is also how messages left behind by a killed worker get sent."""

from __future__ import annotations

import datetime as dt
import logging
import random

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lianqi.core.actors import Actor

from .channels import Undeliverable, sender_for
from .models import Channel, Notification, NotificationState
from .signals import notification_queued

logger = logging.getLogger("lianqi.notifications")

BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=6)
# Up to this fraction of the delay is added at random so that many messages failing together
# (a mail server down) do not all come back in the same second. Only ever added: a retry is
# never earlier than its nominal backoff.
BACKOFF_JITTER = 0.1
DEFAULT_MAX_ATTEMPTS = 10
ERROR_LENGTH = 2000

_random = random.Random()

UNDELIVERED = (NotificationState.PENDING, NotificationState.FAILED)


def max_attempts() -> int:
    return int(getattr(settings, "LIANQI_NOTIFICATION_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def backoff(attempts: int) -> dt.timedelta:
    """The nominal wait after the `attempts`-th failed attempt: 1 min, 2, 4 … up to 6 h."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def queue_notification(
    *,
    channel: Channel | str,
    subject: str,
    recipient: Actor | None = None,
    address: str = "",
    body: str = "",
    link: str = "",
    dedupe_key: str = "",
    at: dt.datetime | None = None,
) -> Notification:
    """Put one message in the outbox, due at once, and deliver it after the caller's transaction
    commits. With a `dedupe_key` already in the outbox nothing new is queued and the existing
    row is returned. Call it inside the workflow's `transaction.atomic()`.

    An in-app message is its own delivery: the row is written as sent, in the caller's
    transaction, so it is in the recipient's inbox the moment the workflow commits (and never if
    it rolls back) without waiting for a worker. Only e-mail and SMS go to the task queue."""
    if recipient is None and not address:
        raise ValueError("a notification needs a recipient user or an address")
    if channel == Channel.IN_APP and recipient is None:
        raise ValueError("an in-app notification needs a recipient user")
    at = at or timezone.now()
    if dedupe_key:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    in_app = channel == Channel.IN_APP
    try:
        # A savepoint, so that losing a race on the dedupe key leaves the caller's transaction usable.
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                address=address,
                channel=channel,
                subject=subject[: Notification._meta.get_field("subject").max_length],
                body=body,
                link=link,
                dedupe_key=dedupe_key,
                **(
                    {"state": NotificationState.SENT, "attempts": 1, "sent_at": at}
                    if in_app
                    else {"next_attempt_at": at}
                ),
            )
    except IntegrityError:
        if not dedupe_key:
            raise
        return Notification.objects.get(dedupe_key=dedupe_key)
    if in_app:
        return notification
    transaction.on_commit(
        lambda: notification_queued.send(sender=Notification, notification_id=notification.pk), robust=True
    )
    return notification


def deliver(notification_id: int, *, at: dt.datetime) -> Notification | None:
    """Make one delivery attempt if the notification is still undelivered and due at `at`.

    Idempotent: a sent or given-up notification is left alone, and a row another worker is
    delivering right now is skipped (PostgreSQL row lock), so a task that runs twice or
    alongside the sweep sends the message once. On failure the attempt is counted and the next
    one scheduled with backoff; after the last allowed attempt the row is dead."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, state__in=UNDELIVERED)
            .first()
        )
        if notification is None:
            return None
        if notification.next_attempt_at is not None and notification.next_attempt_at > at:
            return notification
        notification.attempts += 1
        try:
            sender_for(notification.channel).send(notification)
        except Undeliverable as exc:
            _give_up(notification, str(exc))
        except Exception as exc:
            _schedule_retry(notification, f"{type(exc).__name__}: {exc}", at=at)
        else:
            notification.state = NotificationState.SENT
            notification.sent_at = at
            notification.next_attempt_at = None
            notification.last_error = ""
        notification.save(
            update_fields=["attempts", "state", "sent_at", "next_attempt_at", "last_error", "updated_at"]
        )
    return notification


def _give_up(notification: Notification, error: str) -> None:
    notification.state = NotificationState.DEAD
    notification.next_attempt_at = None
    notification.last_error = error[:ERROR_LENGTH]
    logger.warning("notification %s given up: %s", notification.pk, error)


def _schedule_retry(notification: Notification, error: str, *, at: dt.datetime) -> None:
    if notification.attempts >= max_attempts():
        _give_up(notification, error)
        return
    delay = backoff(notification.attempts)
    delay += delay * _random.uniform(0, BACKOFF_JITTER)
    notification.state = NotificationState.FAILED
    notification.next_attempt_at = at + delay
    notification.last_error = error[:ERROR_LENGTH]
    logger.info(
        "notification %s failed (attempt %s), retry at %s",
        notification.pk,
        notification.attempts,
        notification.next_attempt_at,
    )


def mark_read(*, notification: Notification, user: Actor, at: dt.datetime) -> Notification:
    """Mark an in-app message as read by its recipient. Another user's message is not found,
    so nobody learns it exists; reading twice keeps the first time."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(
            pk=notification.pk, recipient=user, channel=Channel.IN_APP
        )
        if notification.read_at is None:
            notification.read_at = at
            notification.save(update_fields=["read_at", "updated_at"])
    return notification


def mark_all_read(*, user: Actor, at: dt.datetime) -> int:
    """Mark every unread in-app message of `user` as read; returns how many."""
    with transaction.atomic():
        return Notification.objects.filter(
            recipient=user, channel=Channel.IN_APP, read_at__isnull=True
        ).update(read_at=at, updated_at=at)
