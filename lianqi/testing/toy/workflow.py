"""The toy lifecycle as a table on the kit. Workflow roles come from the acting account's
username (``maker_…``, ``checker_…``), so a test names a role by naming a user; an enterprise
acting through its code (``actor=None, enterprise=…``) holds the ``enterprise`` role."""

from __future__ import annotations

from typing import Any

from lianqi.core.workflow import Transition, Workflow, transition

from .models import Toy, ToyAction, ToyEvent, ToyState

MAKER = "maker"
CHECKER = "checker"
ENTERPRISE = "enterprise"
ROLES = (MAKER, CHECKER, ENTERPRISE)

S, A = ToyState, ToyAction

#: Keyed by plain strings to the type checker (the kit's tables are); the members are strings.
TABLE: dict[tuple[str, str], Transition] = {
    (S.NEW, A.START): transition(S.OPEN, MAKER, ENTERPRISE),
    # A reminder leaves the state alone: the step still bumps the version and writes an event.
    (S.OPEN, A.POKE): transition(S.OPEN, CHECKER),
    (S.OPEN, A.FINISH): transition(S.DONE, MAKER, CHECKER, needs=("size",)),
    (S.DONE, A.REOPEN): transition(S.OPEN, CHECKER, guard=lambda toy: not toy.locked),
}


def roles_for(toy: Toy, actor: Any, *, enterprise: Any = None) -> frozenset[str]:
    if actor is None:
        return frozenset({ENTERPRISE}) if enterprise is not None else frozenset()
    role = actor.username.partition("_")[0]
    return frozenset({role}) & {MAKER, CHECKER}


workflow: Workflow[Toy] = Workflow(
    model=Toy,
    table=TABLE,
    roles_for=roles_for,
    noun="玩具",
    states=ToyState,
    actions=ToyAction,
    event_model=ToyEvent,
    subject_field="toy",
)
