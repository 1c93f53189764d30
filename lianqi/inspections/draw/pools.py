"""The pools a draw picks from and the parameters of the draw, in their canonical form.

The canonical form is what gets published and fingerprinted (docs/inspection-draws.md,
"Canonical form"): enterprises sorted and unique, inspectors sorted by id, recusals sorted,
written as compact JSON with sorted keys, UTF-8, no escapes but ``\\"`` and ``\\\\`` (identifiers
may not hold control characters, so nothing else needs escaping). Its SHA-256 is the
fingerprint: anyone can recompute it with ``sha256sum`` on the canonical bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from . import messages as m
from .errors import Invalid, InvalidParameters, InvalidPools

POOLS_FORMAT = "lianqi.draw.pools/1"

#: A team slot any department may fill.
ANY = "*"

# 1 to 100 characters; no control characters (C0, DEL, C1), no lone surrogates (they have no
# UTF-8 form), no whitespace at either end.
_BAD = "\x00-\x1f\x7f-\x9f\ud800-\udfff"
_IDENTIFIER = re.compile(rf"[^{_BAD}\s](?:[^{_BAD}]{{0,98}}[^{_BAD}\s])?")


def valid_identifier(value: object) -> bool:
    return isinstance(value, str) and _IDENTIFIER.fullmatch(value) is not None


def canonical_json(value: Any) -> bytes:
    """Compact JSON with keys sorted by code point, non-ASCII written as UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class Reason(StrEnum):
    """Why an inspector may not inspect an enterprise."""

    LIAISON = "liaison"  # the inspector is the enterprise's liaison (包联干部)
    CONFLICT = "conflict"  # listed as a conflict of interest (利害关系)


@dataclass(frozen=True, order=True)
class Inspector:
    """A certified inspector of a department taking part (id: e.g. the enforcement
    certificate number)."""

    id: str
    department: str


@dataclass(frozen=True, order=True)
class Recusal:
    """`inspector` never inspects `enterprise`. Ordered by (enterprise, inspector, reason),
    the canonical order."""

    enterprise: str
    inspector: str
    reason: Reason


@dataclass(frozen=True)
class Pools:
    """The enterprise pool (identifiers, e.g. unified social credit codes, after the
    eligibility rule and the exclusions), the inspector pool and the recusals, canonical:
    build it with `Pools.build`, which sorts, removes repeats and checks identifiers."""

    enterprises: tuple[str, ...]
    inspectors: tuple[Inspector, ...]
    recusals: tuple[Recusal, ...]

    @classmethod
    def build(
        cls,
        enterprises: Iterable[str],
        inspectors: Iterable[Inspector | tuple[str, str]],
        recusals: Iterable[Recusal | tuple[str, str, str]] = (),
    ) -> Pools:
        """Canonical pools from any order, repeats allowed. Recusals naming an enterprise or an
        inspector outside the pools cannot matter and are left out. Raises `InvalidPools`
        listing every malformed identifier or reason, and any inspector given two departments."""
        problems: list[Invalid] = []
        enterprise_set = set(enterprises)
        for value in sorted(enterprise_set, key=str):
            if not valid_identifier(value):
                problems.append(Invalid(m.BAD_ENTERPRISE, {"value": value}))
        departments: dict[str, str] = {}
        for item in inspectors:
            inspector = item if isinstance(item, Inspector) else Inspector(*item)
            if not valid_identifier(inspector.id):
                problems.append(Invalid(m.BAD_INSPECTOR, {"value": inspector.id}))
                continue
            if not valid_identifier(inspector.department) or inspector.department == ANY:
                problems.append(Invalid(m.BAD_DEPARTMENT, {"department": inspector.department}))
                continue
            known = departments.setdefault(inspector.id, inspector.department)
            if known != inspector.department:
                first, second = sorted((known, inspector.department))
                problems.append(
                    Invalid(
                        m.INSPECTOR_TWO_DEPARTMENTS,
                        {"inspector": inspector.id, "first": first, "second": second},
                    )
                )
        kept: set[Recusal] = set()
        for entry in recusals:
            enterprise, inspector_id, reason = (
                (entry.enterprise, entry.inspector, entry.reason) if isinstance(entry, Recusal) else entry
            )
            if reason not in Reason._value2member_map_:
                problems.append(Invalid(m.BAD_REASON, {"reason": reason}))
                continue
            if enterprise in enterprise_set and inspector_id in departments:
                kept.add(Recusal(enterprise, inspector_id, Reason(reason)))
        if problems:
            raise InvalidPools(problems)
        return cls(
            enterprises=tuple(sorted(enterprise_set)),
            inspectors=tuple(Inspector(i, d) for i, d in sorted(departments.items())),
            recusals=tuple(sorted(kept)),
        )

    def to_json(self) -> dict[str, Any]:
        """The canonical object (its keys are sorted when serialised)."""
        return {
            "format": POOLS_FORMAT,
            "enterprises": list(self.enterprises),
            "inspectors": [{"id": i.id, "department": i.department} for i in self.inspectors],
            "recusals": [
                {"enterprise": r.enterprise, "inspector": r.inspector, "reason": r.reason.value}
                for r in self.recusals
            ],
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
        if not isinstance(enterprises, list) or not all(isinstance(e, str) for e in enterprises):
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
            people.append(Inspector(item["id"], item["department"]))
        recusals = data.get("recusals", [])
        if not isinstance(recusals, list):
            raise bad("pools.recusals", "not a list")
        entries = []
        for n, item in enumerate(recusals):
            if not (
                isinstance(item, dict)
                and set(item) == {"enterprise", "inspector", "reason"}
                and all(isinstance(v, str) for v in item.values())
            ):
                raise bad(f"pools.recusals[{n}]", "not an object with enterprise, inspector and reason")
            entries.append((item["enterprise"], item["inspector"], item["reason"]))
        return cls.build(enterprises, people, entries)

    @cached_property
    def canonical(self) -> bytes:
        """The canonical bytes: what is published and hashed."""
        return canonical_json(self.to_json())

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 of the canonical bytes, lowercase hex."""
        return hashlib.sha256(self.canonical).hexdigest()


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
