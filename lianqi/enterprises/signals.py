"""What the register tells the apps above it, so that it never calls them.

`enterprise_changed` is sent once the transaction that created or changed an enterprise (its
fields, tags or yearly figures) has committed, with ``enterprise_id`` and ``created``. The
policy supermarket re-matches the enterprise on it; any app whose figures follow an
enterprise's data subscribes from its `AppConfig.ready()`.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

enterprise_changed = Signal()


def announce_change(enterprise_id: int, *, created: bool = False) -> None:
    """Send `enterprise_changed` after the current transaction commits (at once outside one)."""
    from .models import Enterprise

    transaction.on_commit(
        lambda: enterprise_changed.send(sender=Enterprise, enterprise_id=enterprise_id, created=created)
    )
