"""Who hears about a demand's step, and how: the department on assignment, the enterprise on
reply, the liaison on every change of their enterprises' demands, the service office on
overdue, send-back and escalation. Called inside the action's transaction; it only queues
rows in the notification outbox, which delivers them after commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import DemandEvent


def event_recorded(event: DemandEvent) -> None:
    """Queue the notifications that `event` calls for."""
