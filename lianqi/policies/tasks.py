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


def rematch_changed_enterprise(sender: object, *, enterprise_id: int, **kwargs: object) -> None:
    """Receiver of the register's `enterprise_changed` (sent on commit): an enterprise's policies
    follow its data at once (一键智配 and the ledger's matches)."""
    rematch_enterprise_task.enqueue(enterprise_id)
