"""Background re-matching. Tasks take ids and read afresh, so one that runs twice or late
stores the same matches (re-matching is idempotent; the ledger opens an entry once a year)."""

from __future__ import annotations

from django_tasks import task

from lianqi.enterprises.models import Enterprise

from .actions.matching import rematch_enterprise, rematch_policy
from .models import Policy


@task()
def rematch_enterprise_task(enterprise_id: int) -> None:
    """One enterprise against every policy in force over it (its data changed)."""
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is not None:
        rematch_enterprise(enterprise=enterprise)


@task()
def rematch_policy_task(policy_id: int) -> None:
    """Every enterprise under a policy against its version in force (the policy changed)."""
    policy = Policy.objects.filter(pk=policy_id).first()
    if policy is not None:
        rematch_policy(policy=policy)


def rematch_changed_enterprise(sender: object, *, enterprise_id: int, **kwargs: object) -> None:
    """Receiver of the register's `enterprise_changed` (sent on commit): an enterprise's policies
    follow its data at once (一键智配 and the ledger's matches)."""
    rematch_enterprise_task.enqueue(enterprise_id)


def rematch_changed_policy(sender: object, *, policy_id: int, **kwargs: object) -> None:
    """Receiver of `signals.policy_changed` (sent on commit): a published version or a policy
    put on or taken off the shelf re-matches its enterprises in the background."""
    rematch_policy_task.enqueue(policy_id)
