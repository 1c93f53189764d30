"""Every (state, action, role) of the fulfilment ledger's table, taken through the action:
allowed ones move the entry to the table's next state with the next step's deadline, refused
ones raise `TransitionNotAllowed` and change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.core.workflow import TransitionNotAllowed
from lianqi.org.models import Staff
from lianqi.testing.world import World

from .. import actions, workflow
from ..choices import FulfilmentAction as A
from ..choices import FulfilmentState as S
from ..choices import VersionState
from ..models import Fulfilment, PolicyVersion
from .test_actions import AT, make_policy, published, rule

DATA: dict[A, dict[str, Any]] = {
    A.NOTIFY: {},
    A.APPLY: {"text": "申请"},
    A.REVIEW: {"note": "材料齐全"},
    A.APPROVE: {"amount": "10"},
    A.APPROVE_WITHOUT_APPLICATION: {"amount": "10"},
    A.DISBURSE: {"amount": "10", "disbursed_on": dt.date(2025, 6, 30), "voucher": "PZ-9"},
    A.REJECT: {"reason": "不符合条件"},
    A.REVISE: {"amount": "12", "reason": "测算数据更正"},
    A.REVOKE: {"reason": "更正后不再符合条件"},
}
#: Whether the policy is 免申即享 matters only to the steps guarded on it.
GUARDED = (A.APPLY, A.APPROVE_WITHOUT_APPLICATION)
CASES = [
    (state, action, role, no_app)
    for state in S
    for action in A
    for role in workflow.ROLES
    for no_app in ((False, True) if action in GUARDED else (False,))
]


def _actor(world: World, role: str) -> tuple[Any, Any]:
    if role == workflow.ENTERPRISE:
        return None, world.home.enterprise
    user = world.user(role)
    if role == workflow.DEPARTMENT:
        Staff.objects.create(
            jurisdiction=world.home.park, name="经办人", department=world.home.department, user=user
        )
        user.refresh_from_db()
    return user, None


@pytest.mark.parametrize(("state", "action", "role", "no_application"), CASES)
def test_table(world: World, state: S, action: A, role: str, no_application: bool) -> None:
    policy = make_policy(world, no_application=no_application)
    version = PolicyVersion.objects.create(
        policy=policy,
        number=1,
        state=VersionState.PUBLISHED,
        rule=rule(policy.code),
        valid_from=dt.date(2025, 1, 1),
    )
    entry = Fulfilment.objects.create(
        jurisdiction=world.home.park,
        policy=policy,
        enterprise=world.home.enterprise,
        policy_version=version,
        period=2025,
        state=state,
        no_application=no_application,
        approved_amount=10,
        disbursed_amount=10 if state == S.DISBURSED else None,
        disbursed_on=dt.date(2025, 6, 1) if state == S.DISBURSED else None,
        voucher_number="PZ-1" if state == S.DISBURSED else "",
        reject_reason="理由" if state == S.REJECTED else "",
    )
    actor, enterprise = _actor(world, role)
    transition = workflow.TRANSITIONS.get((state, action))
    allowed = transition is not None and role in transition.roles and transition.applies(entry)
    assert (action in workflow.WORKFLOW.allowed_actions(entry, actor, enterprise=enterprise)) == allowed
    step = lambda: actions.STEP_ACTIONS[action](  # noqa: E731
        fulfilment=entry,
        actor=actor,
        enterprise=enterprise,
        expected_version=1,
        **DATA[action],
        at=AT,
    )
    if allowed:
        assert transition is not None
        result = step()
        assert result.state == transition.next_state
        if action == A.REVISE:  # a correction leaves the step's clock as it was
            assert result.due_on == entry.due_on
        else:
            # The next step's working-day clock runs exactly when the administration owes it.
            assert (result.due_on is not None) == (workflow.step_workdays(result.state) is not None)
    else:
        with pytest.raises(TransitionNotAllowed):
            step()
        entry.refresh_from_db()
        assert entry.state == state and entry.version == 1


def test_the_other_parks_office_may_take_no_step(world: World) -> None:
    policy = make_policy(world)
    version = published(world, policy)
    entry = Fulfilment.objects.create(
        jurisdiction=world.home.park,
        policy=policy,
        enterprise=world.home.enterprise,
        policy_version=version,
        period=2025,
    )
    assert workflow.WORKFLOW.allowed_actions(entry, world.other_user(Role.SERVICE_OFFICE)) == []
