"""The workflow kit (`lianqi.core.workflow`) on a toy table (`lianqi.testing.toy`): what every
step does — lock, version, table, roles, guards, change, event, effects after commit — tested
once here, so each app's own tests need only walk its table."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from lianqi.core.workdays import SHANGHAI
from lianqi.core.workflow import (
    StaleVersion,
    Step,
    TransitionNotAllowed,
    Workflow,
    take_step,
    transition,
    walk_table,
)
from lianqi.testing.toy.models import Toy, ToyAction, ToyEvent, ToyState
from lianqi.testing.toy.workflow import CHECKER, ENTERPRISE, MAKER, ROLES, TABLE, workflow

AT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)
#: Stands for an enterprise acting through its code: the toy's roles only ask whether one is given.
AN_ENTERPRISE = SimpleNamespace(pk=1)

pytestmark = pytest.mark.django_db


def account(role: str) -> Any:
    user, _ = get_user_model().objects.get_or_create(username=f"{role}_1")
    return user


def toy(state: str = ToyState.NEW, **fields: Any) -> Toy:
    return Toy.objects.create(name="积木", state=state, jurisdiction_path="430000/430300/", **fields)


def step(row: Toy, action: str, role: str | None, *, expected_version: int | None = None, **kw: Any) -> Toy:
    """Take `action` on `row` as the account of `role` (None: the enterprise through its code)."""
    actor = account(role) if role is not None else None
    enterprise = AN_ENTERPRISE if role is None else None
    return take_step(
        workflow,
        row=row,
        action=action,
        actor=actor,
        enterprise=enterprise,
        expected_version=row.version if expected_version is None else expected_version,
        at=AT,
        **kw,
    )


def unchanged(row: Toy) -> None:
    fresh = Toy.objects.get(pk=row.pk)
    assert (fresh.state, fresh.version, fresh.size) == (row.state, row.version, row.size)
    assert not ToyEvent.objects.filter(toy=row).exists()


# --- Allowed steps ----------------------------------------------------------------------------


def test_an_allowed_step_moves_the_row_and_writes_its_event() -> None:
    row = toy()
    moved = step(row, ToyAction.START, MAKER, note="开工")
    assert moved.state == ToyState.OPEN
    stored = Toy.objects.get(pk=row.pk)
    assert stored.state == ToyState.OPEN
    assert stored.version == 2
    assert stored.last_actor == account(MAKER)
    assert stored.last_changed_at == AT
    [event] = ToyEvent.objects.filter(toy=row)
    assert (event.action, event.from_state, event.to_state) == ("start", "new", "open")
    assert event.actor == account(MAKER)
    assert event.by_enterprise is False
    assert event.note == "开工"
    assert event.at == AT
    assert event.jurisdiction_path == "430000/430300/"
    assert event.size is None


def test_every_step_bumps_the_version_even_one_that_keeps_the_state() -> None:
    row = step(toy(), ToyAction.START, MAKER)
    row = step(row, ToyAction.POKE, CHECKER)
    row = step(row, ToyAction.POKE, CHECKER)
    assert (row.state, row.version) == (ToyState.OPEN, 4)
    events = list(ToyEvent.objects.filter(toy=row).values_list("action", "from_state", "to_state"))
    assert events == [("start", "new", "open"), ("poke", "open", "open"), ("poke", "open", "open")]


def test_the_change_sets_fields_the_note_and_the_event_s_own_columns() -> None:
    row = step(toy(), ToyAction.START, MAKER)

    def change(s: Step[Toy]) -> None:
        assert (s.from_state, s.action, s.transition.next_state) == ("open", "finish", ToyState.DONE)
        assert s.actor == account(CHECKER) and s.at == AT
        s.row.size = 7
        s.note = "共七块"
        s.event["size"] = 7

    entered: list[str] = []
    done = step(row, ToyAction.FINISH, CHECKER, change=change, entered=lambda s: entered.append(s.row.state))
    # `entered` runs once the row is in its new state, before it is saved.
    assert entered == [ToyState.DONE]
    assert Toy.objects.get(pk=done.pk).size == 7
    event = ToyEvent.objects.get(toy=row, action="finish")
    assert (event.note, event.size) == ("共七块", 7)


def test_an_enterprise_acts_through_its_code_without_an_account() -> None:
    row = toy(last_actor=account(CHECKER))
    moved = step(row, ToyAction.START, None)
    assert moved.state == ToyState.OPEN
    assert Toy.objects.get(pk=row.pk).last_actor is None
    event = ToyEvent.objects.get(toy=row)
    assert event.actor is None and event.by_enterprise is True


# --- Refused steps ----------------------------------------------------------------------------


def test_a_refused_step_names_what_is_allowed_and_changes_nothing() -> None:
    row = step(toy(), ToyAction.START, MAKER)
    with pytest.raises(TransitionNotAllowed) as refused:
        step(row, ToyAction.POKE, MAKER)
    error = refused.value
    assert error.allowed == [ToyAction.FINISH]
    assert (error.state, error.action) == ("open", "poke")
    assert error.message == "玩具当前为“进行中”，不能执行“提醒”。可执行的操作：完成"
    assert str(error) == error.message
    assert Toy.objects.get(pk=row.pk).version == 2
    assert ToyEvent.objects.filter(toy=row).count() == 1


def test_a_refusal_with_nothing_allowed_says_so() -> None:
    row = toy()
    with pytest.raises(TransitionNotAllowed) as refused:
        step(row, ToyAction.FINISH, CHECKER)
    assert refused.value.allowed == []
    assert refused.value.message.endswith("可执行的操作：无")
    unchanged(row)


def test_an_action_the_table_does_not_know_is_refused_by_its_name() -> None:
    row = toy()
    with pytest.raises(TransitionNotAllowed) as refused:
        step(row, "explode", MAKER)
    assert "不能执行“explode”" in refused.value.message
    assert refused.value.allowed == [ToyAction.START]
    unchanged(row)


def test_roles_decide_who_may_take_a_step() -> None:
    row = toy(state=ToyState.OPEN)
    assert workflow.roles_for(row, account(MAKER)) == {MAKER}
    assert workflow.roles_for(row, None, enterprise=AN_ENTERPRISE) == {ENTERPRISE}
    assert workflow.roles_for(row, None) == frozenset()
    assert workflow.allowed_actions(row, account(MAKER)) == [ToyAction.FINISH]
    assert workflow.allowed_actions(row, account(CHECKER)) == [ToyAction.POKE, ToyAction.FINISH]
    assert workflow.allowed_actions(row, None, enterprise=AN_ENTERPRISE) == []
    # Without an account and without an enterprise, nobody acts.
    with pytest.raises(TransitionNotAllowed):
        take_step(workflow, row=toy(), action=ToyAction.START, actor=None, expected_version=1)


def test_a_guard_refuses_a_step_its_row_does_not_meet() -> None:
    locked = toy(state=ToyState.DONE, locked=True)
    assert workflow.allowed_actions(locked, account(CHECKER)) == []
    with pytest.raises(TransitionNotAllowed) as refused:
        step(locked, ToyAction.REOPEN, CHECKER)
    assert refused.value.allowed == []
    unchanged(locked)
    free = toy(state=ToyState.DONE)
    assert workflow.allowed_actions(free, account(CHECKER)) == [ToyAction.REOPEN]
    assert step(free, ToyAction.REOPEN, CHECKER).state == ToyState.OPEN


def test_check_answers_the_transition_taken() -> None:
    row = toy()
    assert workflow.check(row, ToyAction.START, account(MAKER)) is TABLE[(ToyState.NEW, ToyAction.START)]


# --- Stale versions ---------------------------------------------------------------------------


def test_a_stale_version_is_refused_naming_who_changed_the_row() -> None:
    row = toy()
    step(row, ToyAction.START, MAKER)
    with pytest.raises(StaleVersion) as stale:
        step(row, ToyAction.FINISH, CHECKER, expected_version=1)
    error = stale.value
    assert error.current_version == 2
    assert error.state == ToyState.OPEN
    assert error.last_actor == account(MAKER)
    assert error.message == "该玩具已被maker_1修改，当前状态为“进行中”，请刷新后重试"
    stored = Toy.objects.get(pk=row.pk)
    assert (stored.state, stored.version) == (ToyState.OPEN, 2)
    assert ToyEvent.objects.filter(toy=row).count() == 1


def test_a_stale_version_changed_by_the_enterprise_says_so() -> None:
    row = toy()
    step(row, ToyAction.START, None)
    with pytest.raises(StaleVersion) as stale:
        step(row, ToyAction.FINISH, CHECKER, expected_version=1)
    assert stale.value.last_actor is None
    assert "该玩具已被企业修改" in stale.value.message


def test_a_stale_version_of_a_row_that_keeps_no_last_actor_names_nobody() -> None:
    row = SimpleNamespace(version=3, state=ToyState.DONE)
    error = StaleVersion(workflow, row)
    assert error.message == "该玩具已被他人修改，当前状态为“已完成”，请刷新后重试"
    assert error.last_actor is None and error.current_version == 3


def test_the_version_is_checked_before_the_table() -> None:
    # A stale page asking for a step the new state does not allow hears that the row changed.
    row = toy()
    step(row, ToyAction.START, MAKER)
    with pytest.raises(StaleVersion):
        step(row, ToyAction.START, MAKER, expected_version=1)


# --- Input that fails, effects after commit ---------------------------------------------------


def test_a_validation_error_in_the_change_leaves_nothing_behind(
    django_capture_on_commit_callbacks: Any,
) -> None:
    row = step(toy(), ToyAction.START, MAKER)
    ran: list[str] = []

    def change(s: Step[Toy]) -> None:
        s.row.size = 99
        s.after_commit(lambda: ran.append("effect"))
        raise ValidationError({"size": "块数不对"})

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as invalid,
    ):
        step(row, ToyAction.FINISH, MAKER, change=change)
    assert invalid.value.message_dict == {"size": ["块数不对"]}
    assert callbacks == [] and ran == []
    stored = Toy.objects.get(pk=row.pk)
    assert (stored.state, stored.version, stored.size) == (ToyState.OPEN, 2, 0)
    assert ToyEvent.objects.filter(toy=row).count() == 1


def test_effects_are_dropped_when_an_outer_transaction_rolls_back(
    django_capture_on_commit_callbacks: Any,
) -> None:
    row = toy()
    ran: list[str] = []

    class Abandon(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abandon),
        transaction.atomic(),
    ):
        step(row, ToyAction.START, MAKER, change=lambda s: s.after_commit(lambda: ran.append("effect")))
        raise Abandon
    assert callbacks == [] and ran == []
    unchanged(row)


def test_effects_are_queued_in_order_on_commit(django_capture_on_commit_callbacks: Any) -> None:
    row = toy()
    ran: list[str] = []

    def change(s: Step[Toy]) -> None:
        s.after_commit(lambda: ran.append("first"))
        s.after_commit(lambda: ran.append("second"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        step(row, ToyAction.START, MAKER, change=change)
        assert ran == []
    assert len(callbacks) == 2
    assert ran == ["first", "second"]


@pytest.mark.django_db(transaction=True)
def test_effects_run_only_once_the_step_is_committed() -> None:
    row = toy()
    seen: list[tuple[str, bool]] = []

    def effect() -> None:
        # Run after commit: the step is in the database for anyone who looks.
        seen.append((Toy.objects.get(pk=row.pk).state, transaction.get_connection().in_atomic_block))

    with transaction.atomic():
        step(row, ToyAction.START, MAKER, change=lambda s: s.after_commit(effect))
        assert seen == []
    assert seen == [(ToyState.OPEN, False)]

    ran: list[str] = []
    with pytest.raises(RuntimeError), transaction.atomic():
        step(
            Toy.objects.get(pk=row.pk),
            ToyAction.POKE,
            CHECKER,
            change=lambda s: s.after_commit(lambda: ran.append("x")),
        )
        raise RuntimeError("rolled back")
    assert ran == []
    assert Toy.objects.get(pk=row.pk).version == 2


# --- Events outside the table -----------------------------------------------------------------


def test_record_writes_an_event_outside_the_table_and_runs_the_hook() -> None:
    heard: list[ToyEvent] = []
    hooked = Workflow(
        model=Toy,
        table=TABLE,
        roles_for=workflow.roles_for,
        noun="玩具",
        event_model=ToyEvent,
        subject_field="toy",
        recorded=heard.append,
    )
    row = toy()
    event = hooked.record(
        row, action="create", from_state="", actor=account(MAKER), at=AT, note="登记", size=3
    )
    assert heard == [event]
    stored = ToyEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.from_state, stored.to_state, stored.size) == ("create", "", "new", 3)
    # The hook also hears every step's event, inside the step's transaction.
    take_step(hooked, row=row, action=ToyAction.START, actor=account(MAKER), expected_version=1, at=AT)
    assert [e.action for e in heard] == ["create", "start"]


def test_a_workflow_without_events_writes_none() -> None:
    silent = Workflow(model=Toy, table=TABLE, roles_for=workflow.roles_for, noun="玩具")
    row = take_step(silent, row=toy(), action=ToyAction.START, actor=account(MAKER), expected_version=1)
    assert row.version == 2
    assert not ToyEvent.objects.exists()


def test_labels_fall_back_to_the_codes_without_choices() -> None:
    plain = Workflow(
        model=Toy, table={("new", "go"): transition("open", MAKER)}, roles_for=workflow.roles_for, noun="玩具"
    )
    with pytest.raises(TransitionNotAllowed) as refused:
        plain.check(toy(), "stop", account(MAKER))
    assert refused.value.message == "玩具当前为“new”，不能执行“stop”。可执行的操作：go"


# --- The table, walked ------------------------------------------------------------------------


def test_walk_table_lists_every_state_action_and_role() -> None:
    walked = walk_table(workflow, ROLES)
    states = {s for s, _a in TABLE}
    actions = {a for _s, a in TABLE}
    assert len(walked) == len(states) * len(actions) * len(ROLES)
    assert len(set(walked)) == len(walked)
    assert ("new", "start", MAKER, True) in walked
    assert ("new", "start", ENTERPRISE, True) in walked
    assert ("new", "start", CHECKER, False) in walked
    assert ("new", "finish", MAKER, False) in walked  # no such row in the table
    # Guards are the row's business: the walk says only what the roles allow.
    assert ("done", "reopen", CHECKER, True) in walked
    allowed = {(s, a, r) for s, a, r, ok in walked if ok}
    assert allowed == {(s, a, r) for (s, a), t in TABLE.items() for r in ROLES if r in t.roles}


@pytest.mark.parametrize(("state", "action", "role", "allowed"), walk_table(workflow, ROLES))
def test_table(state: str, action: str, role: str, allowed: bool) -> None:
    """Every (state, action, role) of the toy table, taken: allowed ones move the row to the
    table's next state, refused ones change nothing."""
    row = toy(state=state)
    by = None if role == ENTERPRISE else role
    if allowed:
        moved = step(row, action, by, change=lambda s: s.event.update(size=1))
        assert moved.state == TABLE[(state, action)].next_state
        assert ToyEvent.objects.get(toy=row).to_state == moved.state
    else:
        with pytest.raises(TransitionNotAllowed):
            step(row, action, by)
        unchanged(row)
