"""What the register tells the apps above it, so that it never calls them.

`enterprise_changed` is sent once the transaction that created or changed an enterprise (its
fields, tags or yearly figures) has committed, with ``enterprise_id`` and ``created``. The
policy supermarket re-matches the enterprise on it; any app whose figures follow an
enterprise's data subscribes from its `AppConfig.ready()`. The two liaison signals are sent
inside the register's own transaction, where the liaison layout keeps its history.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.dispatch import Signal

enterprise_changed = Signal()

#: Sent inside the transaction that files new enterprises with their liaison already named (the
#: form's 联企干部, an Excel import's liaison column), with ``enterprises`` (the new rows),
#: ``actor``, ``method`` ("created" or "excel"), ``reason`` and ``at``. The liaison layout checks
#: that each cadre may serve and records the first liaison in its history there, so that a
#: refusal undoes the filing; each receiver answers how many it recorded.
first_liaisons_named = Signal()

#: Sent inside an import's transaction with the liaison its file names for existing enterprises:
#: ``plan`` (enterprise id → staff row), ``actor``, ``method``, ``reason``, ``at``. The liaison
#: layout changes them with their history; each receiver answers how many changed.
liaisons_planned = Signal()


def answered(responses: Sequence[tuple[object, object]]) -> int:
    """The sum of what the receivers of one signal answered (counts of rows they wrote)."""
    return sum(int(response) for _receiver, response in responses if isinstance(response, int))


def announce_change(enterprise_id: int, *, created: bool = False) -> None:
    """Send `enterprise_changed` after the current transaction commits (at once outside one)."""
    from .models import Enterprise

    transaction.on_commit(
        lambda: enterprise_changed.send(sender=Enterprise, enterprise_id=enterprise_id, created=created)
    )
