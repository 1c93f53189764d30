"""Builders for this wing's tests: an item placed directly in any state of its lifecycle (so
each step is tested from its own starting point), the actor of each workflow role, and input
that satisfies each step's needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lianqi.accounts.models import User
from lianqi.core.workdays import SHANGHAI
from lianqi.enterprises.models import Enterprise
from lianqi.testing.world import Side, World

from ..choices import CreditState
from ..models import Credit
from ..workflow import ENTERPRISE

AT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)
TITLE = "厂区消防通道整改"
#: Input that satisfies every step's needs (`workflow.needs_of`).
INPUTS: dict[str, str] = {"note": "材料不全，请补充", "outcome": "已整改完毕"}


def make_credit(
    world: World, state: str = CreditState.DRAFT, side: Side | None = None, **fields: Any
) -> Credit:
    """An item of a park's enterprise (the home park's unless `side` says otherwise), placed
    directly in `state` with what that state implies (an outcome once closed)."""
    side = side or world.home
    values: dict[str, Any] = {
        "jurisdiction": side.park,
        "enterprise": side.enterprise,
        "title": TITLE,
        "state": state,
    }
    if state == CreditState.CLOSED:
        values["outcome"] = INPUTS["outcome"]
    values.update(fields)
    return Credit.objects.create(**values)


def actor_for(world: World, role: str) -> tuple[User | None, Enterprise | None]:
    """Who takes a step in a workflow role: the home park's account of that role, or, for the
    enterprise, the enterprise itself through its code (no account)."""
    if role == ENTERPRISE:
        return None, world.home.enterprise
    return world.user(role), None
