"""Every write of the finance supermarket, by subject: `catalogue` (institutions, their users,
products), `applications` (applying, one action per step of the table, turning a stalled
application into a demand), `events` (bank–enterprise matching events and their
agreements), `invitations` (inviting enterprises to an event by rule and by their financing
demands), `pilots` (financing pilots and their versioned whitelists) and `versions` (new versions of
a product's terms, reviewed by the office, taking effect on their day). Each action is keyword-only and typed, runs in one transaction and locks what it
changes. The public actions are named here, so that callers write ``actions.apply_for_product(...)``."""

from __future__ import annotations

from .applications import (
    FINANCING_CATEGORY,
    STEPS,
    accept_application,
    accept_due,
    apply_for_product,
    approve_application,
    can_raise_demand,
    close_application,
    decide_due,
    decline_application,
    disburse_application,
    investigate_application,
    raise_demand,
    withdraw_application,
)
from .catalogue import (
    bind_institution_user,
    create_institution,
    create_product,
    may_manage_product,
    publish_product,
    withdraw_product,
)
from .checks import OFFICE_ROLES
from .events import create_event, record_agreement, record_attendance
from .invitations import Invitation, invitation_preview, months_before, send_event_invitations
from .pilots import change_whitelist, create_pilot, save_whitelist_rule
from .sweeps import flag_overdue_applications
from .versions import (
    apply_product_versions,
    publish_product_version,
    return_product_version,
    submit_product_version,
)

__all__ = [
    "FINANCING_CATEGORY",
    "OFFICE_ROLES",
    "STEPS",
    "Invitation",
    "accept_application",
    "accept_due",
    "apply_for_product",
    "apply_product_versions",
    "approve_application",
    "bind_institution_user",
    "can_raise_demand",
    "change_whitelist",
    "close_application",
    "create_event",
    "create_institution",
    "create_pilot",
    "create_product",
    "decide_due",
    "decline_application",
    "disburse_application",
    "flag_overdue_applications",
    "investigate_application",
    "invitation_preview",
    "may_manage_product",
    "months_before",
    "publish_product",
    "publish_product_version",
    "raise_demand",
    "record_agreement",
    "record_attendance",
    "return_product_version",
    "save_whitelist_rule",
    "send_event_invitations",
    "submit_product_version",
    "withdraw_application",
    "withdraw_product",
]
