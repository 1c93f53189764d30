"""The Django side of the random draw: the pools a department's draw is made from, and the
call of the plain-Python engine (`lianqi.inspections.draw`) whose published document anyone
checks with ``python -m lianqi.inspections.draw.verify``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department

from . import draw as engine
from .checks import in_quiet_period, quiet_by_rule_ids
from .models import Inspector


def pools_for(
    department: Department, on: dt.date
) -> tuple[engine.Pools, dict[str, Enterprise], dict[str, Inspector]]:
    """The canonical pools of a department's draw for `on`: the enterprises of its
    jurisdiction (by unified social credit code) outside a quiet period, its qualified
    inspectors (by certificate number), and each enterprise's liaison recused from it. Also
    the rows behind the identifiers, to register the drawn inspections."""
    candidates = list(Enterprise.objects.filter(jurisdiction_path__startswith=department.jurisdiction_path))
    quiet = quiet_by_rule_ids(department.jurisdiction_path, [e.pk for e in candidates], on)
    quiet |= in_quiet_period(department.jurisdiction_path, on)
    enterprises = {e.credit_code: e for e in candidates if e.pk not in quiet}
    inspectors = {
        i.certificate_no: i
        for i in Inspector.objects.filter(
            department=department, is_active=True, qualified_until__gte=on
        ).select_related("staff")
    }
    by_staff = {i.staff_id: i.certificate_no for i in inspectors.values()}
    recusals = [
        (code, by_staff[e.liaison_id], engine.Reason.LIAISON.value)
        for code, e in enterprises.items()
        if e.liaison_id in by_staff
    ]
    code = str(department.pk)
    pools = engine.Pools.build(enterprises, [(c, code) for c in inspectors], recusals)
    return pools, enterprises, inspectors


def run(
    pools: engine.Pools, *, enterprise_count: int, team_size: int, entropy: str, task: str
) -> dict[str, Any]:
    """Draw with a fresh secret seed and return the published document. A draw the pools
    cannot serve is refused with the engine's messages, by field."""
    try:
        parameters = engine.Parameters.build(enterprise_count, team_size)
        result = engine.draw(pools, parameters, engine.new_seed(), entropy=entropy)
    except engine.DrawError as refused:
        raise ValidationError(
            {"enterprise_count": [_(msg.template) % msg.params for msg in refused.messages()]}
        ) from refused
    return engine.publication(pools, result, task={"title": task})


def announce(
    pools: engine.Pools, *, enterprise_count: int, team_size: int, task: str
) -> tuple[dict[str, Any], str]:
    """The announcement of a draw to be made later — the pools, their fingerprint, the
    parameters and the commitment of a fresh secret seed — and the seed (hex) to keep secret
    until the draw. A draw the pools cannot serve is refused now, as `run` would."""
    try:
        parameters = engine.Parameters.build(enterprise_count, team_size)
        shortfalls = engine.check(pools, parameters)
    except engine.DrawError as refused:
        raise ValidationError(
            {"enterprise_count": [_(msg.template) % msg.params for msg in refused.messages()]}
        ) from refused
    if shortfalls:
        raise ValidationError(
            {"enterprise_count": [_(s.message.template) % s.message.params for s in shortfalls]}
        )
    seed = engine.new_seed()
    return engine.announcement(pools, parameters, engine.commitment(seed), task={"title": task}), seed.hex()


def reveal(announced: dict[str, Any], seed: str, *, entropy: str) -> dict[str, Any]:
    """Draw from the announced pools and parameters with the committed seed (and the public
    entropy, if the task uses any): the published document, which verifies against the
    announcement's fingerprint and commitment."""
    pools = engine.Pools.from_json(announced["pools"])
    parameters = engine.Parameters.from_json(announced["parameters"])
    try:
        result = engine.draw(pools, parameters, bytes.fromhex(seed), entropy=entropy)
    except engine.DrawError as refused:
        raise ValidationError(
            {"entropy": [_(msg.template) % msg.params for msg in refused.messages()]}
        ) from refused
    return engine.publication(pools, result, task=announced.get("task") or {})


def assignments(document: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """The drawn enterprises with their inspectors, in draw order, from a published document."""
    for entry in document["result"]:
        yield entry["enterprise"], list(entry["inspectors"])
