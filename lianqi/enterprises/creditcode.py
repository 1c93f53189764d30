"""Unified social credit codes (统一社会信用代码, GB 32100-2015), in plain Python.

A code has 18 characters: the registration authority (1), the kind of entity (1), the
administrative division of registration (6 digits), the organisation code (9) and a check
character (1), drawn from the 31 characters below (no I, O, S, V, Z). The check character is
computed with the weights of GB 32100; a wrong one is reported with the expected one, so that a
clerk can tell a typing slip from a made-up number.
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


@dataclass(frozen=True)
class CreditCodeProblem:
    """Why a code is not valid. `code` names the rule; the other fields fill the message."""

    code: str  # "length" | "charset" | "division" | "checksum"
    length: int = 0
    position: int = 0
    character: str = ""
    expected: str = ""


def normalise(value: str) -> str:
    """Upper-case and strip spaces and hyphens, as clerks type codes in several ways."""
    return "".join(value.split()).replace("-", "").upper()


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(value: str) -> CreditCodeProblem | None:
    """The first problem of a (normalised) code, or None when it is valid."""
    if len(value) != LENGTH:
        return CreditCodeProblem("length", length=len(value))
    for index, ch in enumerate(value, start=1):
        if ch not in ALPHABET:
            return CreditCodeProblem("charset", position=index, character=ch)
    if not value[2:8].isdigit():
        return CreditCodeProblem("division")
    expected = check_character(value[:17])
    if value[17] != expected:
        return CreditCodeProblem("checksum", character=value[17], expected=expected)
    return None


def is_valid(value: str) -> bool:
    return problem(normalise(value)) is None


def complete(first17: str) -> str:
    """A valid code from its first 17 characters (used by the demo and the tests)."""
    return first17 + check_character(first17)
