"""Background work of the land supermarket, for a scheduler that enqueues tasks rather than
running commands (`manage.py run_land_sweeps` is the same work from cron or as a loop). The
sweep is idempotent, so a task that runs twice or late releases a reservation once."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import sweeps


@task()
def run_land_sweeps() -> dict[str, int]:
    """Every land sweep (reservations held past their last working day released, their parcels
    back on the shelf), at the moment the task runs."""
    return sweeps.run_all(at=timezone.now())
