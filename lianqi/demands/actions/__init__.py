"""Every write to demands, by subject: `intake` (filing a demand, adding files), `lifecycle`
(one action per step of the table, on core's `take_step`) and `catalogue` (the categories and
their routing per jurisdiction). Each action is keyword-only and typed, runs in one
transaction and locks what it changes. The public actions are named here, so that callers
write ``actions.assign_demand(...)``."""

from __future__ import annotations

from .catalogue import create_category, set_routing, update_category
from .intake import ATTACH, MAX_ATTACHMENTS, SUBMIT, add_attachments, submit_demand
from .lifecycle import (
    MERGED_IN,
    assign_demand,
    close_demand,
    decide_escalation,
    decide_extension,
    escalate_demand,
    merge_demands,
    rate_demand,
    remind_demand,
    reply_demand,
    request_extension,
    reroute_demand,
    send_back_demand,
    sign_demand,
    solve_demand_on_spot,
    start_demand,
    supervise_demand,
    withdraw_demand,
)

__all__ = [
    "ATTACH",
    "MAX_ATTACHMENTS",
    "MERGED_IN",
    "SUBMIT",
    "add_attachments",
    "assign_demand",
    "close_demand",
    "create_category",
    "decide_escalation",
    "decide_extension",
    "escalate_demand",
    "merge_demands",
    "rate_demand",
    "remind_demand",
    "reply_demand",
    "request_extension",
    "reroute_demand",
    "send_back_demand",
    "set_routing",
    "sign_demand",
    "solve_demand_on_spot",
    "start_demand",
    "submit_demand",
    "supervise_demand",
    "update_category",
    "withdraw_demand",
]
