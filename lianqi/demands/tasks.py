"""Background work of demands, for a scheduler that enqueues tasks rather than running
commands (`manage.py run_sweeps` is the same work from cron or as a loop). The sweeps are
idempotent, so a task that runs twice or late does no harm."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import sweeps


@task()
def run_sweeps() -> dict[str, int]:
    """Every demand sweep and the outbox's delivery sweep, at the moment the task runs."""
    return sweeps.run_all(at=timezone.now())


@task()
def sweep_deadline_warnings() -> int:
    """Warn lead departments one working day before their deadlines."""
    return sweeps.deadline_warnings(at=timezone.now())


@task()
def sweep_overdue() -> int:
    """Flag overdue demands to their departments and the service office."""
    return sweeps.overdue_reminders(at=timezone.now())


@task()
def sweep_return_visits() -> int:
    """Ask the service office to visit enterprises that have not rated a reply."""
    return sweeps.return_visits(at=timezone.now())
