"""The published draw (docs/inspection-draws.md, "The published document"), and its
verification.

Before the draw Lianqi publishes the *announcement*: the pools (canonical), their fingerprint,
the parameters and the seed's commitment. After the draw it publishes the same document with
the seed revealed, the public entropy (if the task uses any) and the result. `verify` checks
either: an announcement's fingerprint, or a revealed draw recomputed from scratch from what
the document itself publishes — nothing of Lianqi's is trusted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from . import messages as m
from .engine import Draw, draw
from .errors import DrawError, DrawRefused
from .pools import Parameters, Pools, Reason
from .randomness import SEED_BYTES, commitment

DRAW_FORMAT = "lianqi.draw/1"

#: How many differences are listed one by one before the rest are counted.
LISTED_DIFFERENCES = 20

_HEX_64 = re.compile(r"[0-9a-f]{64}")


def announcement(
    pools: Pools, parameters: Parameters, seed_commitment: str, *, task: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What is published before the draw. `task` is free description (title, department,
    the eligibility rule and exclusions in words, how the public entropy will be obtained);
    it is carried along but not verified."""
    return {
        "format": DRAW_FORMAT,
        "task": task or {},
        "pools": pools.to_json(),
        "fingerprint": pools.fingerprint,
        "parameters": parameters.to_json(),
        "commitment": seed_commitment,
    }


def publication(pools: Pools, result: Draw, *, task: dict[str, Any] | None = None) -> dict[str, Any]:
    """What is published after the draw: the announcement plus the revealed seed, the public
    entropy and the result in draw order."""
    document = announcement(pools, result.parameters, result.commitment, task=task)
    document["entropy"] = result.entropy
    document["seed"] = result.seed.hex()
    document["result"] = [
        {"enterprise": a.enterprise, "inspectors": list(a.inspectors)} for a in result.assignments
    ]
    return document


def dumps(document: dict[str, Any], *, indent: int | None = None) -> str:
    """The document as published: UTF-8 JSON, compact unless an `indent` is asked for (the
    pretty form is ten times slower to write for a pool of 100,000). Any layout verifies:
    only the pools' canonical bytes are hashed, and the verifier rebuilds them."""
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


class Outcome(IntEnum):
    """The verifier's verdict, which is also its exit code."""

    VERIFIED = 0  # everything the document publishes checks out
    DIFFERS = 1  # something differs from the recomputation: the findings say what
    MALFORMED = 2  # not a readable published draw


@dataclass
class Verification:
    """The verdict and the findings behind it; `recomputed` is the draw recomputed from the
    document, when it could be."""

    outcome: Outcome
    findings: list[m.Message] = field(default_factory=list)
    revealed: bool = False
    recomputed: Draw | None = None


def verify(document: object) -> Verification:
    """Recompute a published draw (or check an announcement) from the document alone."""
    try:
        return _verify(document)
    except _Malformed as error:
        return Verification(Outcome.MALFORMED, error.findings)


class _Malformed(Exception):
    def __init__(self, findings: list[m.Message]) -> None:
        self.findings = findings


def _field(document: dict[str, Any], name: str, kind: type) -> Any:
    if name not in document:
        raise _Malformed([m.Message(m.MISSING_FIELD, {"field": name})])
    value = document[name]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _Malformed([m.Message(m.BAD_FIELD, {"field": name, "detail": f"expected {kind.__name__}"})])
    return value


def _hex(document: dict[str, Any], name: str) -> str:
    value = _field(document, name, str)
    if not _HEX_64.fullmatch(value):
        raise _Malformed(
            [m.Message(m.BAD_FIELD, {"field": name, "detail": "expected 64 lowercase hex digits"})]
        )
    return value


def _result(document: dict[str, Any]) -> list[tuple[str, list[str]]]:
    value = _field(document, "result", list)
    entries = []
    for n, item in enumerate(value):
        if not (
            isinstance(item, dict)
            and set(item) == {"enterprise", "inspectors"}
            and isinstance(item["enterprise"], str)
            and isinstance(item["inspectors"], list)
            and all(isinstance(i, str) for i in item["inspectors"])
        ):
            raise _Malformed(
                [
                    m.Message(
                        m.BAD_FIELD, {"field": f"result[{n}]", "detail": "expected enterprise and inspectors"}
                    )
                ]
            )
        entries.append((item["enterprise"], item["inspectors"]))
    return entries


def _verify(document: object) -> Verification:
    if not isinstance(document, dict) or document.get("format") != DRAW_FORMAT:
        raise _Malformed([m.Message(m.NOT_A_DRAW)])
    try:
        pools = Pools.from_json(_field(document, "pools", dict))
        parameters = Parameters.from_json(_field(document, "parameters", dict))
    except DrawError as error:
        raise _Malformed(error.messages()) from error
    published_fingerprint = _hex(document, "fingerprint")
    published_commitment = _hex(document, "commitment")
    findings = []
    if pools.fingerprint != published_fingerprint:
        findings.append(
            m.Message(
                m.FINGERPRINT_DIFFERS, {"published": published_fingerprint, "recomputed": pools.fingerprint}
            )
        )
    if "seed" not in document and "result" not in document:
        findings.append(m.Message(m.NOT_REVEALED))
        return Verification(Outcome.DIFFERS if len(findings) > 1 else Outcome.VERIFIED, findings)
    seed = bytes.fromhex(_hex(document, "seed"))
    assert len(seed) == SEED_BYTES
    entropy = _field(document, "entropy", str) if "entropy" in document else ""
    published = _result(document)
    if commitment(seed) != published_commitment:
        findings.append(
            m.Message(
                m.COMMITMENT_DIFFERS, {"published": published_commitment, "recomputed": commitment(seed)}
            )
        )
    findings += _broken_recusals(pools, published)
    try:
        recomputed = draw(pools, parameters, seed, entropy=entropy)
    except DrawRefused as refusal:
        findings += [m.Message(m.REFUSED), *(s.message for s in refusal.shortfalls)]
        return Verification(Outcome.DIFFERS, findings, revealed=True)
    findings += _differences(published, recomputed)
    if findings:
        return Verification(Outcome.DIFFERS, findings, revealed=True, recomputed=recomputed)
    return Verification(
        Outcome.VERIFIED,
        [m.Message(m.VERIFIED, {"count": len(published)})],
        revealed=True,
        recomputed=recomputed,
    )


def _broken_recusals(pools: Pools, published: list[tuple[str, list[str]]]) -> list[m.Message]:
    """Recusals the published result breaks, whatever the recomputation says."""
    templates = {
        Reason.LIAISON.value: m.RECUSAL_BROKEN_LIAISON,
        Reason.CONFLICT.value: m.RECUSAL_BROKEN_CONFLICT,
    }
    broken = {
        (enterprise, inspector)
        for enterprise, inspectors in published
        for inspector in inspectors
        if enterprise in pools.recusal_counts and inspector in pools.recused(enterprise)
    }
    return [
        m.Message(templates[reason], {"inspector": inspector, "enterprise": enterprise})
        for enterprise, inspector, reason in pools.recusals
        if (enterprise, inspector) in broken
    ]


def _differences(published: list[tuple[str, list[str]]], recomputed: Draw) -> list[m.Message]:
    found = []
    if len(published) != len(recomputed.assignments):
        found.append(
            m.Message(
                m.COUNT_DIFFERS, {"published": len(published), "recomputed": len(recomputed.assignments)}
            )
        )
    for position, ((enterprise, inspectors), expected) in enumerate(
        zip(published, recomputed.assignments, strict=False), start=1
    ):
        if enterprise != expected.enterprise:
            found.append(
                m.Message(
                    m.ENTERPRISE_DIFFERS,
                    {"position": position, "published": enterprise, "recomputed": expected.enterprise},
                )
            )
        elif tuple(inspectors) != expected.inspectors:
            found.append(
                m.Message(
                    m.TEAM_DIFFERS,
                    {
                        "enterprise": enterprise,
                        "published": "、".join(inspectors) or "—",
                        "recomputed": "、".join(expected.inspectors),
                    },
                )
            )
    if len(found) > LISTED_DIFFERENCES:
        rest = len(found) - LISTED_DIFFERENCES
        found = [*found[:LISTED_DIFFERENCES], m.Message(m.MORE_DIFFERENCES, {"count": rest})]
    return found


__all__ = ["DRAW_FORMAT", "Outcome", "Verification", "announcement", "dumps", "publication", "verify"]
