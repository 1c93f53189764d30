"""The workflow kit: every lifecycle in Lianqi (demands, the fulfilment ledger, and the apps to
come) is a table on this kit plus one typed ``verb_noun`` action per step.

- `Transition` and `transition()` write one row of a table: (state, action) → next state, the
  workflow roles that may take it, the input it needs and an optional guard on the row.
- `Workflow` holds the table with the function that says which workflow roles an actor holds
  for one row, and answers `allowed_actions` (what pages and the API offer) and `check` (what
  every action calls); a refusal is `TransitionNotAllowed`, naming what is allowed instead.
- `WorkflowEvent` is the abstract append-only event row every workflow's history is made of.
- `take_step` is what every step does: lock the row, refuse a stale version (`StaleVersion`,
  naming who changed it), check the table for the actor, apply the step's change, move the
  state, bump the version, write the event row, and hand side effects to ``on_commit`` — all
  in one transaction, so a refused or failing step leaves nothing behind.

Who acts: a logged-in account (`Actor`), or an enterprise acting through its code (营商码)
without an account, written ``actor=None, enterprise=<the enterprise>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actors import Actor
from .models import AppendOnlyModel

__all__ = [
    "Effect",
    "StaleVersion",
    "Step",
    "Transition",
    "TransitionNotAllowed",
    "Workflow",
    "WorkflowEvent",
    "required_text",
    "take_step",
    "transition",
]


class WorkflowRow(Protocol):
    """What the kit needs of a row that runs a workflow: a state, a version and a primary key.
    Rows may also carry `last_actor` and `last_changed_at`, which the kit keeps when present."""

    pk: Any
    state: Any
    version: int


R = TypeVar("R", bound=models.Model)


@dataclass(frozen=True)
class Transition:
    """One row of a lifecycle table: where an action leads, which workflow roles may take it,
    what input it needs (shown on forms, in the API and the docs) and an optional guard — a
    condition on the row beyond its state (e.g. an extension request pending)."""

    next_state: str
    roles: frozenset[str]
    needs: tuple[str, ...] = ()
    guard: Callable[[Any], bool] | None = None

    def applies(self, row: Any) -> bool:
        return self.guard is None or bool(self.guard(row))


def transition(
    next_state: str, *roles: str, needs: tuple[str, ...] = (), guard: Callable[[Any], bool] | None = None
) -> Transition:
    """A table row, written compactly: ``transition(S.CLOSED, OFFICE, LEADER, needs=("note",))``."""
    return Transition(next_state, frozenset(roles), needs, guard)


def _label(choices: type[models.TextChoices] | None, value: str) -> str:
    if choices is not None:
        try:
            return str(choices(value).label)
        except ValueError:
            pass
    return value


class TransitionNotAllowed(Exception):
    """A step the table does not allow for this row and this actor now. Carries the actions
    that are allowed, so pages and the API can say what may be done instead."""

    def __init__(self, workflow: Workflow[Any], row: Any, action: str, allowed: list[Any]) -> None:
        self.state = row.state
        self.action = action
        self.allowed = allowed
        names = "、".join(_label(workflow.actions, str(a)) for a in allowed) or _("无")
        self.message = _("%(noun)s当前为“%(state)s”，不能执行“%(action)s”。可执行的操作：%(allowed)s") % {
            "noun": workflow.noun,
            "state": _label(workflow.states, str(row.state)),
            "action": _label(workflow.actions, action),
            "allowed": names,
        }
        super().__init__(self.message)


class StaleVersion(Exception):
    """The row changed after the user loaded it; the step is refused so that nobody's work is
    silently overwritten. Names who changed it last (when the row records it) and where it
    stands now."""

    def __init__(self, workflow: Workflow[Any], row: Any) -> None:
        self.current_version = row.version
        self.state = row.state
        self.last_actor = getattr(row, "last_actor", None)
        state = _label(workflow.states, str(row.state))
        if hasattr(row, "last_actor_id"):
            who = str(self.last_actor) if self.last_actor is not None else _("企业")
            self.message = _("该%(noun)s已被%(who)s修改，当前状态为“%(state)s”，请刷新后重试") % {
                "noun": workflow.noun,
                "who": who,
                "state": state,
            }
        else:
            self.message = _("该%(noun)s已被他人修改，当前状态为“%(state)s”，请刷新后重试") % {
                "noun": workflow.noun,
                "state": state,
            }
        super().__init__(self.message)


RolesFor = Callable[..., frozenset[str]]


class Workflow(Generic[R]):
    """A lifecycle: its table, the model whose rows run it, and how an actor's workflow roles
    for one row are found (``roles_for(row, actor, *, enterprise=None)``).

    `noun` names the row in messages ("诉求", "兑现事项"); `states` and `actions` are the
    TextChoices whose labels messages show; `event_model` is the `WorkflowEvent` subclass whose
    `subject_field` points at the row; `lock_related` are the relations read with the locked
    row (never nullable ones: a joined row is read before the lock wait on PostgreSQL)."""

    def __init__(
        self,
        *,
        model: type[R],
        table: Mapping[tuple[str, str], Transition],
        roles_for: RolesFor,
        noun: str | Promise,
        states: type[models.TextChoices] | None = None,
        actions: type[models.TextChoices] | None = None,
        event_model: type[WorkflowEvent] | None = None,
        subject_field: str = "",
        lock_related: tuple[str, ...] = (),
        recorded: Callable[[Any], None] | None = None,
    ) -> None:
        self.model = model
        self.table = table
        self._roles_for = roles_for
        self._noun = noun
        self.states = states
        self.actions = actions
        self.event_model = event_model
        self.subject_field = subject_field
        self.lock_related = lock_related
        self.recorded = recorded

    @property
    def noun(self) -> str:
        return str(self._noun)

    def roles_for(self, row: R, actor: Actor | None, *, enterprise: Any = None) -> frozenset[str]:
        return self._roles_for(row, actor, enterprise=enterprise)

    def _action(self, action: str) -> Any:
        if self.actions is not None and action in self.actions.values:
            return self.actions(action)
        return action

    def allowed_actions(self, row: R, actor: Actor | None, *, enterprise: Any = None) -> list[Any]:
        """The actions this actor may take on the row now, in the table's order."""
        roles = self.roles_for(row, actor, enterprise=enterprise)
        return [
            self._action(action)
            for (state, action), step in self.table.items()
            if state == row.state and roles & step.roles and step.applies(row)  # type: ignore[attr-defined]
        ]

    def check(self, row: R, action: str, actor: Actor | None, *, enterprise: Any = None) -> Transition:
        """The transition for `action`, or `TransitionNotAllowed` listing what is allowed."""
        step = self.table.get((str(row.state), str(action)))  # type: ignore[attr-defined]
        roles = self.roles_for(row, actor, enterprise=enterprise)
        if step is None or not roles & step.roles or not step.applies(row):
            raise TransitionNotAllowed(
                self, row, str(action), self.allowed_actions(row, actor, enterprise=enterprise)
            )
        return step

    def record(
        self,
        row: R,
        *,
        action: str,
        from_state: str,
        actor: Actor | None,
        at: dt.datetime,
        note: str = "",
        **extra: Any,
    ) -> WorkflowEvent:
        """Write one event row for `row` (a step, or an event outside the table such as the
        row's creation or an attachment) and run the workflow's `recorded` hook with it inside
        the same transaction."""
        assert self.event_model is not None, "this workflow keeps no events"
        event = self.event_model(
            **{self.subject_field: row},
            jurisdiction_path=getattr(row, "jurisdiction_path", ""),
            action=str(action),
            from_state=from_state,
            to_state=row.state,  # type: ignore[attr-defined]
            actor=actor,
            by_enterprise=actor is None,
            note=note,
            at=at,
            **extra,
        )
        event.save()
        if self.recorded is not None:
            self.recorded(event)
        return event


Effect = Callable[[], None]


@dataclass
class Step(Generic[R]):
    """What a step's change function is handed: the locked row, the state it was in, the
    transition taken, who acts and when. The change may fill `note` and `event` (extra columns
    of the event row) and add `effects` (run after commit, in order)."""

    row: R
    action: str
    from_state: str
    transition: Transition
    actor: Actor | None
    enterprise: Any
    at: dt.datetime
    note: str = ""
    event: dict[str, Any] = field(default_factory=dict)
    effects: list[Effect] = field(default_factory=list)

    def after_commit(self, effect: Effect) -> None:
        self.effects.append(effect)


def take_step(
    workflow: Workflow[R],
    *,
    row: R,
    action: str,
    actor: Actor | None,
    expected_version: int,
    at: dt.datetime | None = None,
    enterprise: Any = None,
    note: str = "",
    change: Callable[[Step[R]], None] | None = None,
    entered: Callable[[Step[R]], None] | None = None,
) -> R:
    """Take one step of `workflow` on `row`, in one transaction: lock the row, refuse a stale
    `expected_version`, check the table for the actor, run `change` (which validates the
    input and sets fields; a `ValidationError` it raises rolls everything back), move to the
    transition's next state, run `entered` (what entering the new state implies: a closing
    time, the next step's deadline), bump the version, keep `last_actor`/`last_changed_at`
    when the row has them, save, write the event row and queue the step's effects on commit.
    Returns the saved row."""
    at = at or timezone.now()
    model = type(row)
    with transaction.atomic():
        locked = (
            model._default_manager.select_for_update(of=("self",))
            .select_related(*workflow.lock_related)
            .get(pk=row.pk)
        )
        if locked.version != expected_version:  # type: ignore[attr-defined]
            raise StaleVersion(workflow, locked)
        step_taken = workflow.check(locked, action, actor, enterprise=enterprise)
        step = Step(
            row=locked,
            action=str(action),
            from_state=str(locked.state),  # type: ignore[attr-defined]
            transition=step_taken,
            actor=actor,
            enterprise=enterprise,
            at=at,
            note=note,
        )
        if change is not None:
            change(step)
        locked.state = step_taken.next_state  # type: ignore[attr-defined]
        if entered is not None:
            entered(step)
        locked.version += 1  # type: ignore[attr-defined]
        if hasattr(locked, "last_actor_id"):
            locked.last_actor = actor  # type: ignore[attr-defined]
        if hasattr(locked, "last_changed_at"):
            locked.last_changed_at = at  # type: ignore[attr-defined]
        locked.save()
        if workflow.event_model is not None:
            workflow.record(
                locked,
                action=step.action,
                from_state=step.from_state,
                actor=actor,
                at=at,
                note=step.note,
                **step.event,
            )
        for effect in step.effects:
            transaction.on_commit(effect)
    return locked


def required_text(value: str, field_name: str, message: str) -> str:
    """`value` stripped, or a `ValidationError` naming `field_name` when nothing is left: the
    check every step makes of the note, reason or text it needs."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({field_name: message})
    return text


def walk_table(workflow: Workflow[Any], roles: Iterable[str]) -> list[tuple[str, str, str, bool]]:
    """Every (state, action, role) of the table's states and actions with whether the table
    allows it: what the generated workflow tests walk."""
    states = sorted({s for s, _a in workflow.table})
    actions = sorted({a for _s, a in workflow.table})
    return [
        (state, action, role, role in workflow.table[(state, action)].roles)
        if (state, action) in workflow.table
        else (state, action, role, False)
        for state in states
        for action in actions
        for role in roles
    ]


class WorkflowEvent(AppendOnlyModel):
    """One step of a workflow's history: who did what, when, from which state to which, with
    what note. Rows are never edited or deleted; a row's record is its events in order. Each
    workflow's event model derives from this and adds the foreign key to its row (and any
    columns of its own, such as a department or an amount)."""

    jurisdiction_path = models.CharField(
        gettext_lazy("辖区路径"), max_length=255, db_index=True, editable=False
    )
    action = models.CharField(gettext_lazy("操作"), max_length=40)
    from_state = models.CharField(gettext_lazy("原状态"), max_length=20, blank=True)
    to_state = models.CharField(gettext_lazy("新状态"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("操作人"),
    )
    by_enterprise = models.BooleanField(gettext_lazy("企业通过营商码操作"), default=False)
    note = models.TextField(gettext_lazy("说明"), blank=True)
    at = models.DateTimeField(gettext_lazy("时间"), db_index=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
