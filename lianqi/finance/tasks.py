"""The finance supermarket's background work, each task calling an action: new product
versions take effect on their first day. Run it daily (it is idempotent: a second run that day
changes nothing)."""

from __future__ import annotations

from django_tasks import task

from . import actions


@task()
def apply_product_versions() -> int:
    """Every product takes the terms of its version in force today; how many changed."""
    return actions.apply_product_versions()
