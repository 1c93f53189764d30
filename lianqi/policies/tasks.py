"""Background re-matching. Tasks take ids and read afresh, so one that runs twice or late
stores the same matches (re-matching is idempotent; the ledger opens an entry once a year)."""

from __future__ import annotations

from django_tasks import task

from lianqi.enterprises.models import Enterprise

from . import actions
from .models import Policy


@task()
def rematch_enterprise_task(enterprise_id: int) -> None:
    """One enterprise against every policy in force over it (its data changed)."""
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is not None:
        actions.rematch_enterprise(enterprise=enterprise)


@task()
def rematch_policy_task(policy_id: int) -> None:
    """Every enterprise under a policy against its version in force (the policy changed)."""
    policy = Policy.objects.filter(pk=policy_id).first()
    if policy is not None:
        actions.rematch_policy(policy=policy)


def rematch_enterprise_after_commit(enterprise_id: int) -> None:
    """Ask for an enterprise's re-matching once the caller's transaction commits: the register
    calls this whenever an enterprise's data changes, so its matches never lag behind it."""
    from django.db import transaction

    transaction.on_commit(lambda: rematch_enterprise_task.enqueue(enterprise_id))
