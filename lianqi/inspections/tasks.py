"""The inspections' background work: the statistics' day cells kept current — the orders whose
rectification deadline passed since the last check marked, then every stale day recounted
(with the other sweeps; idempotent: a second run finds nothing to do)."""

from __future__ import annotations

from django_tasks import task

from . import cells


@task()
def refresh_statistics() -> int:
    """Mark the passed deadlines and recount the stale days; the days recounted."""
    cells.mark_passed_deadlines()
    return cells.refresh()
