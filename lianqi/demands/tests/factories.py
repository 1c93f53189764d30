"""Builders for demand tests: a handler bound to a department, and demands placed directly in
any state of the lifecycle (so each transition can be tested from its own starting point)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.org.models import Department, Staff
from lianqi.testing.world import Side, World

from ..choices import Channel, DemandState, Outcome
from ..models import Category, Demand
from ..statistics import mark_stale

AT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)


def category(name: str = "融资困难") -> Category:
    return Category.objects.get(name=name)


def handler(side: Side, department: Department | None = None) -> User:
    """The side's department-handler user, bound to a staff row of `department`."""
    user = side.users[Role.DEPARTMENT_HANDLER]
    Staff.objects.update_or_create(
        user=user,
        defaults={
            "jurisdiction": side.park,
            "name": "部门经办人",
            "department": department or side.department,
        },
    )
    user.refresh_from_db()
    return user


def actor_for(world: World, role: str) -> User:
    """The home park's user of `role`, ready to act (a handler is bound to the home department)."""
    if role == Role.DEPARTMENT_HANDLER:
        return handler(world.home)
    return world.user(role)


def make_demand(world: World, state: str = DemandState.RECEIVED, **fields: Any) -> Demand:
    """A demand of the home enterprise placed directly in `state`, with what that state implies
    (a lead department and deadline once assigned, an outcome once replied or closed)."""
    side = world.home
    values: dict[str, Any] = {
        "jurisdiction": side.park,
        "enterprise": side.enterprise,
        "liaison": side.liaison_staff,
        "category": category(),
        "channel": Channel.LIAISON,
        "description": "贷款审批进度慢",
        "received_at": AT,
        "state": state,
    }
    if state not in (DemandState.RECEIVED,):
        values.update(
            lead_department=side.department,
            assigned_at=AT,
            deadline_workdays=5,
            due_on=dt.date(2025, 3, 10),
        )
    if state == DemandState.REPLIED:
        values.update(outcome=Outcome.SOLVED, reply="已协调银行", replied_at=AT)
    if state == DemandState.CLOSED:
        values.update(outcome=Outcome.SOLVED, closed_at=AT)
    values.update(fields)
    demand = Demand.objects.create(**values)
    # Written without the actions, so its statistics day is marked here, as an import must.
    mark_stale(demand)
    return demand
