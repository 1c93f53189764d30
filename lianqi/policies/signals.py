"""What the policy shelf tells the rest of the app once a change has committed, so that the
actions that change a policy never call the background work that follows it.

`policy_changed` is sent after the transaction that published a version or changed whether a
policy is on the shelf has committed, with ``policy_id``; `tasks.rematch_changed_policy`
re-matches the policy's enterprises on it.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from .models import Policy

policy_changed = Signal()


def announce_change(policy_id: int) -> None:
    """Send `policy_changed` after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: policy_changed.send(sender=Policy, policy_id=policy_id))
