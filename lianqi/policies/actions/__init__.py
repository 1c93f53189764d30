"""Every write of the policy supermarket, by subject: the shelf (`shelf`: policies, drafts,
publishing), re-matching (`matching`) and the fulfilment ledger (`ledger`: one typed action
per step, applications, the office's batch steps). Each action is keyword-only, runs in one
transaction, locks what it changes and writes its event; messages are queued in the outbox
and delivered after commit."""

from .ledger import (
    MAX_MATERIALS,
    STEP_ACTIONS,
    UNPAID_KINDS,
    apply_for_fulfilment,
    apply_for_policy,
    approve_beneficiaries,
    approve_fulfilment,
    approve_fulfilment_without_application,
    disburse_fulfilment,
    notify_fulfilment,
    notify_matched_entries,
    reject_fulfilment,
    review_fulfilment,
    revise_fulfilment_amount,
    revoke_fulfilment,
    step_input,
)
from .matching import MatchChange, rematch_enterprise, rematch_policies, rematch_policy
from .shelf import (
    POLICY_FIELDS,
    SELF_REPORTED_SOURCES,
    create_policy,
    publish_policy_version,
    save_policy_draft,
    update_policy,
)

__all__ = [
    "MAX_MATERIALS",
    "POLICY_FIELDS",
    "SELF_REPORTED_SOURCES",
    "STEP_ACTIONS",
    "UNPAID_KINDS",
    "MatchChange",
    "apply_for_fulfilment",
    "apply_for_policy",
    "approve_beneficiaries",
    "approve_fulfilment",
    "approve_fulfilment_without_application",
    "create_policy",
    "disburse_fulfilment",
    "notify_fulfilment",
    "notify_matched_entries",
    "publish_policy_version",
    "reject_fulfilment",
    "rematch_enterprise",
    "rematch_policies",
    "rematch_policy",
    "review_fulfilment",
    "revise_fulfilment_amount",
    "revoke_fulfilment",
    "save_policy_draft",
    "step_input",
    "update_policy",
]
