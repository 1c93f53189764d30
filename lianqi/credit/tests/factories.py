"""Builders for the credit tests: a dishonesty record placed directly in any state of its
repair (so each step is tested from its own starting point), the actor of each workflow role,
and input that satisfies each step's needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lianqi.accounts.models import User
from lianqi.core.workdays import SHANGHAI
from lianqi.enterprises.models import Enterprise
from lianqi.testing.world import Side, World

from ..choices import RecordKind, RepairState
from ..models import DishonestyRecord
from ..workflow import ENTERPRISE

AT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)
DECIDED = dt.date(2024, 6, 1)
SUMMARY = "未按期履行法院生效判决"
#: Input that satisfies every step's needs (`workflow.needs_of`), each day after the previous.
INPUTS: dict[str, Any] = {
    "applied_on": dt.date(2025, 2, 10),
    "materials": "整改报告、信用承诺书、信用修复培训证明",
    "reviewed_on": dt.date(2025, 2, 20),
    "note": "缺少培训证明",
    "repaired_on": dt.date(2025, 3, 1),
}
#: What each state implies on the record (the dates of the steps taken to reach it).
_IMPLIED: dict[str, dict[str, Any]] = {
    RepairState.IN_FORCE: {},
    RepairState.APPLIED: {"applied_on": INPUTS["applied_on"]},
    RepairState.MATERIALS: {"applied_on": INPUTS["applied_on"], "materials": INPUTS["materials"]},
    RepairState.REVIEWED: {
        "applied_on": INPUTS["applied_on"],
        "materials": INPUTS["materials"],
        "reviewed_on": INPUTS["reviewed_on"],
    },
    RepairState.REPAIRED: {
        "applied_on": INPUTS["applied_on"],
        "materials": INPUTS["materials"],
        "reviewed_on": INPUTS["reviewed_on"],
        "repaired_on": INPUTS["repaired_on"],
    },
}


def make_record(
    world: World,
    state: str = RepairState.IN_FORCE,
    side: Side | None = None,
    kind: str = RecordKind.PENALTY,
    enterprise: Enterprise | None = None,
    **fields: Any,
) -> DishonestyRecord:
    """A record of a park's enterprise (the home park's unless `side` says otherwise), placed
    directly in `state` with what that state implies."""
    side = side or world.home
    enterprise = enterprise or side.enterprise
    values: dict[str, Any] = {
        "jurisdiction_id": enterprise.jurisdiction_id,
        "enterprise": enterprise,
        "kind": kind,
        "authority": "邵东县市场监督管理局",
        "decided_on": DECIDED,
        "summary": SUMMARY,
        "state": state,
        **_IMPLIED[state],
    }
    values.update(fields)
    return DishonestyRecord.objects.create(**values)


def actor_for(world: World, role: str) -> tuple[User | None, Enterprise | None]:
    """Who takes a step in a workflow role: the home park's account of that role, or, for the
    enterprise, the enterprise itself through its code (no account)."""
    if role == ENTERPRISE:
        return None, world.home.enterprise
    return world.user(role), None
