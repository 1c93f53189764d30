"""What the register tells the apps above it, so that it never calls them.

`enterprise_changed` is sent once the transaction that created or changed an enterprise (its
fields, tags or yearly figures) has committed, with ``enterprise_id`` and ``created``. The
policy supermarket re-matches the enterprise on it; any app whose figures follow an
enterprise's data subscribes from its `AppConfig.ready()`.

`liaisons_set` is sent *inside* the transaction in which the register itself sets
`Enterprise.liaison` — filing an enterprise with its liaison named, an Excel import's liaison
column — so that the liaison layout writes its history in that same transaction (a failure
there undoes the register's write too). The layout's own changes (by hand, in bulk, by rules,
at a handover) are its own actions and send nothing.

`import_requested` is sent once the transaction that queued a step of an enterprise import has
committed; the register's tasks put the step on the queue (`tasks.py`), so the actions that
queue work and the tasks that run it do not import each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

from lianqi.core.actors import Actor

from .models import Enterprise

enterprise_changed = Signal()

#: Sent with ``changes`` (a list of `LiaisonSet`), ``actor`` (None for the system), ``method``
#: (`CREATED` or `IMPORTED`), ``reason`` and ``at``.
liaisons_set = Signal()

#: How the register came to set a liaison: the enterprise was filed with it, or an Excel
#: import named it.
CREATED = "created"
IMPORTED = "import"

#: Sent on commit with ``job_id`` and ``step`` (`STEP_VALIDATE` or `STEP_COMMIT`).
import_requested = Signal()

STEP_VALIDATE = "validate"
STEP_COMMIT = "commit"


@dataclass(frozen=True, slots=True)
class LiaisonSet:
    """One enterprise whose liaison the register set: from whom (None when it had none) to whom,
    and the enterprise's jurisdiction path at that moment (its history is scoped by it)."""

    enterprise_id: int
    jurisdiction_path: str
    previous_id: int | None
    staff_id: int


def announce_change(enterprise_id: int, *, created: bool = False) -> None:
    """Send `enterprise_changed` after the current transaction commits (at once outside one)."""
    transaction.on_commit(
        lambda: enterprise_changed.send(sender=Enterprise, enterprise_id=enterprise_id, created=created)
    )


def announce_liaisons_set(
    changes: list[LiaisonSet], *, actor: Actor | None, method: str, reason: str, at: dt.datetime
) -> None:
    """Send `liaisons_set` now, inside the caller's transaction (nothing when nothing changed)."""
    if changes:
        liaisons_set.send(
            sender=Enterprise, changes=changes, actor=actor, method=method, reason=reason, at=at
        )


def request_import_step(job_id: int, step: str) -> None:
    """Send `import_requested` after the current transaction commits."""
    transaction.on_commit(lambda: import_requested.send(sender=Enterprise, job_id=job_id, step=step))
