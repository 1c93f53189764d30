"""The finance supermarket's background work, each task calling an action: new product
versions take effect on their first day (daily), and the office hears of the applications past
their processing promise (with the other sweeps, every few minutes). Both are idempotent: a
second run changes nothing and tells nobody twice. The figures' stale day cells are
recomputed with them (the figures page refreshes its own scope; this keeps the rest current)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import actions, cells


@task()
def apply_product_versions() -> int:
    """Every product takes the terms of its version in force today; how many changed."""
    return actions.apply_product_versions()


@task()
def sweep_overdue_applications() -> int:
    """Tell the office of the applications not accepted by their deadline; messages queued."""
    return actions.flag_overdue_applications(at=timezone.now())


@task()
def refresh_figures() -> int:
    """Recompute the figures' day cells that application steps marked stale; days recomputed."""
    return cells.refresh()
