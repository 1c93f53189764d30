"""What the outbox announces. `notification_queued` is sent once the transaction that queued a
notification has committed, with ``notification_id``; the outbox's tasks answer it by putting
the delivery on the task queue (`tasks.enqueue_delivery`), so the actions that queue messages
and the tasks that deliver them do not import each other."""

from __future__ import annotations

from django.dispatch import Signal

notification_queued = Signal()
