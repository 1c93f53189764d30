"""The pools a draw picks from and the parameters of the draw, in their canonical form.

The canonical form is what gets published and fingerprinted (docs/inspection-draws.md,
"Canonical form"): enterprises sorted and unique, inspectors sorted by id, recusals sorted,
written as compact JSON with sorted keys, UTF-8, no escapes but ``\\"`` and ``\\\\`` (identifiers
may not hold control characters, so nothing else needs escaping). Its SHA-256 is the
fingerprint: anyone can recompute it with ``sha256sum`` on the canonical bytes.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import operator
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple

from . import messages as m
from .errors import Invalid, InvalidParameters, InvalidPools

POOLS_FORMAT = "lianqi.draw.pools/1"

#: A team slot any department may fill.
ANY = "*"

# 1 to 100 characters; no control characters (C0, DEL, C1), no lone surrogates (they have no
# UTF-8 form), no whitespace at either end.
_BAD_BUT_NUL = "\x01-\x1f\x7f-\x9f\ud800-\udfff"
_BAD = "\x00" + _BAD_BUT_NUL
_IDENTIFIER = re.compile(rf"[^{_BAD}\s](?:[^{_BAD}]{{0,98}}[^{_BAD}\s])?")
# NUL joins the values in the one-pass check below, so that class leaves it out.
_FORBIDDEN_BUT_NUL = re.compile(f"[{_BAD_BUT_NUL}]")


def valid_identifier(value: object) -> bool:
    return isinstance(value, str) and _IDENTIFIER.fullmatch(value) is not None


def _invalid(values: list[Any]) -> list[Any]:
    """The values that are not valid identifiers, sorted. A pool of 100,000 is checked at
    once on the values joined by NUL (which no identifier may hold); only when that finds
    something is each value looked at alone."""
    if values and all(type(v) is str for v in values):
        joined = "\x00".join(values)
        if (
            joined.count("\x00") == len(values) - 1
            and _FORBIDDEN_BUT_NUL.search(joined) is None
            and values == list(map(str.strip, values))
            and min(map(len, values)) > 0
            and max(map(len, values)) <= 100
        ):
            return []
    return sorted((v for v in values if not valid_identifier(v)), key=str)


def canonical_json(value: Any) -> bytes:
    """Compact JSON with keys sorted by code point, non-ASCII written as UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class Reason(StrEnum):
    """Why an inspector may not inspect an enterprise."""

    LIAISON = "liaison"  # the inspector is the enterprise's liaison (包联干部)
    CONFLICT = "conflict"  # listed as a conflict of interest (利害关系)


class Inspector(NamedTuple):
    """A certified inspector of a department taking part (id: e.g. the enforcement
    certificate number)."""

    id: str
    department: str


class Recusal(NamedTuple):
    """`inspector` never inspects `enterprise`, for `reason` (a `Reason` value). Tuples sort
    by (enterprise, inspector, reason): the canonical order."""

    enterprise: str
    inspector: str
    reason: str


_REASONS = frozenset(r.value for r in Reason)


@dataclass(frozen=True)
class Pools:
    """The enterprise pool (identifiers, e.g. unified social credit codes, after the
    eligibility rule and the exclusions), the inspector pool and the recusals, canonical:
    build it with `Pools.build`, which sorts, removes repeats and checks identifiers."""

    enterprises: tuple[str, ...]
    inspectors: tuple[Inspector, ...]
    # (enterprise, inspector, reason) tuples (equal to `Recusal`s; plain tuples are cheaper
    # by the tens of thousands).
    recusals: tuple[tuple[str, str, str], ...]

    @classmethod
    def build(
        cls,
        enterprises: Iterable[str],
        inspectors: Iterable[tuple[str, str]],
        recusals: Iterable[tuple[str, str, str]] = (),
    ) -> Pools:
        """Canonical pools from any order, repeats allowed (inspectors and recusals as
        `Inspector` / `Recusal` or plain tuples). Recusals naming an enterprise or an inspector
        outside the pools cannot matter and are left out. Raises `InvalidPools` listing every
        malformed identifier or reason, and any inspector given two departments."""
        problems: list[Invalid] = []
        enterprise_set = set(enterprises)
        problems += [Invalid(m.BAD_ENTERPRISE, {"value": v}) for v in _invalid(list(enterprise_set))]
        entries = set(map(tuple, recusals))
        departments: dict[str, str] = {}
        for inspector_id, department in inspectors:
            if not valid_identifier(inspector_id):
                problems.append(Invalid(m.BAD_INSPECTOR, {"value": inspector_id}))
                continue
            if not valid_identifier(department) or department == ANY:
                problems.append(Invalid(m.BAD_DEPARTMENT, {"department": department}))
                continue
            known = departments.setdefault(inspector_id, department)
            if known != department:
                first, second = sorted((known, department))
                problems.append(
                    Invalid(
                        m.INSPECTOR_TWO_DEPARTMENTS,
                        {"inspector": inspector_id, "first": first, "second": second},
                    )
                )
        if any(len(entry) != 3 for entry in entries):
            raise ValueError("a recusal is (enterprise, inspector, reason)")
        problems += [
            Invalid(m.BAD_REASON, {"reason": reason})
            for reason in sorted({entry[2] for entry in entries} - _REASONS, key=str)
        ]
        kept = [entry for entry in entries if entry[0] in enterprise_set and entry[1] in departments]
        if problems:
            raise InvalidPools(problems)
        return cls(
            enterprises=tuple(sorted(enterprise_set)),
            inspectors=tuple(map(Inspector._make, sorted(departments.items()))),
            recusals=tuple(sorted(kept)),  # type: ignore[arg-type]
        )

    def to_json(self) -> dict[str, Any]:
        """The canonical object (its keys are sorted when serialised); a recusal is the array
        [enterprise, inspector, reason]."""
        return {
            **self._object(),
            "enterprises": list(self.enterprises),
            "recusals": [list(r) for r in self.recusals],
        }

    def _object(self) -> dict[str, Any]:
        # The canonical object with tuples for arrays: JSON writes them alike, faster.
        return {
            "format": POOLS_FORMAT,
            "enterprises": self.enterprises,
            "inspectors": [{"id": i.id, "department": i.department} for i in self.inspectors],
            "recusals": self.recusals,
        }

    @classmethod
    def from_json(cls, data: object) -> Pools:
        """Pools from their published JSON object (any order; canonicalised). Raises
        `InvalidPools` naming the malformed field."""

        def bad(where: str, detail: str) -> InvalidPools:
            return InvalidPools([Invalid(m.BAD_FIELD, {"field": where, "detail": detail})])

        if not isinstance(data, dict):
            raise bad("pools", "not an object")
        if data.get("format") != POOLS_FORMAT:
            raise bad("pools.format", f"expected {POOLS_FORMAT!r}")
        enterprises = data.get("enterprises")
        if not isinstance(enterprises, list) or not all(type(e) is str for e in enterprises):
            raise bad("pools.enterprises", "not a list of strings")
        inspectors = data.get("inspectors")
        if not isinstance(inspectors, list):
            raise bad("pools.inspectors", "not a list")
        people = []
        for n, item in enumerate(inspectors):
            if not (
                isinstance(item, dict)
                and set(item) == {"id", "department"}
                and all(isinstance(v, str) for v in item.values())
            ):
                raise bad(f"pools.inspectors[{n}]", "not an object with string id and department")
            people.append((item["id"], item["department"]))
        recusals = data.get("recusals", [])
        if not isinstance(recusals, list):
            raise bad("pools.recusals", "not a list")
        # Element types need no check here: a non-string can equal no identifier of the pools,
        # so such a recusal is left out, and a non-string reason is refused by `build`.
        wrong = [n for n, r in enumerate(recusals) if type(r) is not list or len(r) != 3]
        if wrong:
            raise bad(f"pools.recusals[{wrong[0]}]", "not an array [enterprise, inspector, reason]")
        try:
            return cls.build(enterprises, people, recusals)
        except TypeError as error:  # an unhashable element (a list or an object)
            raise bad("pools.recusals", "an element is not a string") from error

    @cached_property
    def canonical(self) -> bytes:
        """The canonical bytes: what is published and hashed."""
        return canonical_json(self._object())

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 of the canonical bytes, lowercase hex."""
        return hashlib.sha256(self.canonical).hexdigest()

    def recused(self, enterprise: str) -> set[str]:
        """The inspectors who may not inspect `enterprise` (for either reason). The recusals
        are sorted by enterprise, so a binary search finds them."""
        recusals = self.recusals
        at = bisect.bisect_left(recusals, (enterprise,))
        barred = set()
        while at < len(recusals) and recusals[at][0] == enterprise:
            barred.add(recusals[at][1])
            at += 1
        return barred

    @cached_property
    def recusal_counts(self) -> Counter[str]:
        """How many recusals each enterprise has (an inspector recused for both reasons counts
        twice: a bound on how many inspectors it loses)."""
        return Counter(map(operator.itemgetter(0), self.recusals))


@dataclass(frozen=True)
class Parameters:
    """How many enterprises to draw and the team each gets: `team` maps a department code to
    the number of its inspectors each enterprise gets, and `ANY` ("*") to the number any
    department may fill. Build it with `Parameters.build`."""

    enterprises: int
    team: tuple[tuple[str, int], ...]  # the draw's order: departments by code, then ANY

    @classmethod
    def build(cls, enterprises: object, team: Mapping[str, object] | int) -> Parameters:
        """`team` is a mapping, or a bare number meaning that many inspectors of any
        department. Raises `InvalidParameters` listing every malformed count or code."""
        problems: list[Invalid] = []
        if not _positive(enterprises):
            problems.append(Invalid(m.BAD_ENTERPRISE_COUNT, {"value": enterprises}))
        slots = {ANY: team} if isinstance(team, int) and not isinstance(team, bool) else team
        if not isinstance(slots, Mapping) or not slots:
            problems.append(Invalid(m.EMPTY_TEAM))
            slots = {}
        groups: list[tuple[str, int]] = []
        for department, count in slots.items():
            if department != ANY and not valid_identifier(department):
                problems.append(Invalid(m.BAD_DEPARTMENT, {"department": department}))
            elif not _positive(count):
                problems.append(Invalid(m.BAD_TEAM_COUNT, {"department": department, "value": count}))
            else:
                groups.append((department, int(count)))  # type: ignore[call-overload]
        if problems:
            raise InvalidParameters(problems)
        groups.sort(key=lambda group: (group[0] == ANY, group[0]))
        return cls(int(enterprises), tuple(groups))  # type: ignore[call-overload]

    @property
    def team_size(self) -> int:
        return sum(count for _, count in self.team)

    def to_json(self) -> dict[str, Any]:
        return {"enterprises": self.enterprises, "team": dict(self.team)}

    @classmethod
    def from_json(cls, data: object) -> Parameters:
        if not isinstance(data, dict) or set(data) != {"enterprises", "team"}:
            raise InvalidParameters(
                [Invalid(m.BAD_FIELD, {"field": "parameters", "detail": "expected enterprises and team"})]
            )
        return cls.build(data["enterprises"], data["team"])

    @cached_property
    def canonical(self) -> bytes:
        return canonical_json(self.to_json())


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
