"""What the engine refuses, as data: every refusal carries its numbers, and its message is
looked up in `messages` only when it is shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from . import messages as m


class Shortage(StrEnum):
    """Which pool falls short."""

    ENTERPRISES = "enterprises"  # fewer enterprises in the pool than the draw asks for
    DEPARTMENT = "department"  # fewer inspectors of a department than a team needs
    INSPECTORS = "inspectors"  # fewer inspectors in all than a team needs
    RECUSALS_DEPARTMENT = "recusals_department"  # one enterprise: too few of a department once recused
    RECUSALS_TOTAL = "recusals_total"  # one enterprise: too few in all once recused


_SHORTAGE_MESSAGES = {
    Shortage.ENTERPRISES: m.TOO_MANY_ENTERPRISES,
    Shortage.DEPARTMENT: m.TOO_FEW_IN_DEPARTMENT,
    Shortage.INSPECTORS: m.TOO_FEW_INSPECTORS,
    Shortage.RECUSALS_DEPARTMENT: m.RECUSALS_DEPARTMENT,
    Shortage.RECUSALS_TOTAL: m.RECUSALS_TOTAL,
}


@dataclass(frozen=True)
class Shortfall:
    """The draw needs `required` of something the pools hold only `available` of: short by
    `short`. `enterprise` names the enterprise whose recusals cause it, `department` the
    department whose inspectors are too few (empty when any department will do)."""

    kind: Shortage
    required: int
    available: int
    enterprise: str = ""
    department: str = ""

    @property
    def short(self) -> int:
        return self.required - self.available

    @property
    def message(self) -> m.Message:
        return m.Message(
            _SHORTAGE_MESSAGES[self.kind],
            {
                "required": self.required,
                "available": self.available,
                "short": self.short,
                "enterprise": self.enterprise,
                "department": self.department,
            },
        )


@dataclass(frozen=True)
class Invalid:
    """A malformed input: `template` is the message's msgid, `params` its numbers and names."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> m.Message:
        return m.Message(self.template, self.params)


class DrawError(ValueError):
    """Base of the engine's refusals; `problems` lists every reason found, not just the first."""

    problems: Sequence[Shortfall | Invalid]

    def __init__(self, problems: Sequence[Shortfall | Invalid]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p.message) for p in self.problems))

    def messages(self) -> list[m.Message]:
        return [p.message for p in self.problems]


class InvalidPools(DrawError):
    """The pools cannot be drawn from: an identifier is malformed, an inspector is listed in
    two departments, or a recusal gives an unknown reason."""


class InvalidParameters(DrawError):
    """The draw's parameters are malformed (counts that are not positive integers, a team
    naming no inspector or an invalid department code)."""


class DrawRefused(DrawError):
    """The pools hold too few enterprises or inspectors for the draw; `shortfalls` says where
    and by how many."""

    problems: list[Shortfall]

    def __init__(self, shortfalls: Sequence[Shortfall]) -> None:
        super().__init__(shortfalls)

    @property
    def shortfalls(self) -> list[Shortfall]:
        return self.problems
