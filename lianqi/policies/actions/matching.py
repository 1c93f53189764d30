"""Re-matching: the stored verdicts of (policy, enterprise) pairs follow the policies in force
and the enterprises' data. A pair that becomes eligible for a policy that pays enters the
ledger (`ledger.open_entries`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lianqi.core import workdays
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.rules import Verdict

from ..choices import MatchVerdict
from ..models import Policy, PolicyMatch
from ..money import yuan_of
from ..permissions import ancestor_paths
from ..queries import engine_for, versions_on
from ..subjects import enterprise_records
from .ledger import Found, open_entries


@dataclass
class MatchChange:
    """What one re-matching did: pairs that became eligible, stopped matching, or stayed."""

    entered: set[tuple[int, int]] = field(default_factory=set)
    left: set[tuple[int, int]] = field(default_factory=set)
    kept: int = 0


def _amount(value: float | None, unit: str | None) -> Decimal | None:
    """The engine's amount (a float in the policy's unit) as yuan to the fen, as stored."""
    return yuan_of(value, unit)


def _store_matches(
    found: Found,
    existing: dict[tuple[int, int], PolicyMatch],
    paths: Mapping[int, str],
    at: dt.datetime,
) -> MatchChange:
    """Write the new verdicts in bulk (a policy may match thousands of enterprises): remove the
    pairs that no longer match, add the new ones, update the rest."""
    change = MatchChange()
    gone = [match.pk for key, match in existing.items() if key not in found]
    change.left = {key for key in existing if key not in found}
    if gone:
        PolicyMatch.objects.filter(pk__in=gone).delete()
    new_rows: list[PolicyMatch] = []
    changed: list[PolicyMatch] = []
    for key, (verdict, amount, version) in found.items():
        policy_id, enterprise_id = key
        match = existing.get(key)
        if match is None:
            new_rows.append(
                PolicyMatch(
                    policy_id=policy_id,
                    enterprise_id=enterprise_id,
                    version=version,
                    verdict=verdict,
                    amount=amount,
                    jurisdiction_path=paths[enterprise_id],
                    matched_at=at,
                )
            )
            if verdict == MatchVerdict.ELIGIBLE:
                change.entered.add(key)
            continue
        if match.verdict != MatchVerdict.ELIGIBLE and verdict == MatchVerdict.ELIGIBLE:
            change.entered.add(key)
        else:
            change.kept += 1
        match.verdict, match.amount, match.version, match.matched_at = verdict, amount, version, at
        changed.append(match)
    PolicyMatch.objects.bulk_create(new_rows, batch_size=1000)
    PolicyMatch.objects.bulk_update(changed, ["verdict", "amount", "version", "matched_at"], batch_size=1000)
    return change


def rematch_policy(*, policy: Policy, at: dt.datetime | None = None) -> MatchChange:
    """Match every active enterprise under the policy's jurisdiction against the version in
    force today and store the result: new eligible pairs enter the ledger and are notified."""
    return rematch_policies(policies=[policy], at=at)


def rematch_policies(
    *, policies: list[Policy], at: dt.datetime | None = None, tell: bool = True
) -> MatchChange:
    """Re-match several policies in one pass of the engine: one table of the enterprises under
    any of them, every version in force compiled together, each policy's verdicts kept for the
    enterprises under its own jurisdiction."""
    at = at or timezone.now()
    day = workdays.shanghai_date(at)
    with transaction.atomic():
        locked = list(
            Policy.objects.select_for_update().filter(pk__in=[p.pk for p in policies]).order_by("pk")
        )
        existing = {
            (m.policy_id, m.enterprise_id): m
            for m in PolicyMatch.objects.filter(policy__in=[p.pk for p in locked])
        }
        versions = versions_on([p for p in locked if p.is_active], day)
        found: Found = {}
        paths: dict[int, str] = {}
        if versions:
            under = Q(pk__in=[])
            for version in versions:
                under |= Q(jurisdiction_path__startswith=version.policy.jurisdiction_path)
            enterprises = Enterprise.objects.filter(under, status=EnterpriseStatus.ACTIVE)
            paths = dict(enterprises.values_list("pk", "jurisdiction_path"))
            engine = engine_for(versions, enterprise_records(enterprises), day)
            if engine is not None:
                matching = engine.match()
                for version in versions:
                    code, scope = version.policy.code, version.policy.jurisdiction_path
                    rows, amounts = matching.amounts(code)
                    unit = matching.unit(code)
                    amount_of = {
                        int(engine.table.ids[r]): _amount(float(a), unit)
                        for r, a in zip(rows, amounts, strict=True)
                    }
                    for verdict, stored in (
                        (Verdict.ELIGIBLE, MatchVerdict.ELIGIBLE),
                        (Verdict.UNKNOWN, MatchVerdict.UNKNOWN),
                    ):
                        for enterprise_id in matching.ids(code, verdict).tolist():
                            if paths[int(enterprise_id)].startswith(scope):
                                amount = (
                                    amount_of.get(int(enterprise_id))
                                    if stored == MatchVerdict.ELIGIBLE
                                    else None
                                )
                                found[(version.policy_id, int(enterprise_id))] = (stored, amount, version)
        change = _store_matches(found, existing, paths, at)
        open_entries(sorted(change.entered), found, at, tell=tell)
    return change


def rematch_enterprise(*, enterprise: Enterprise, at: dt.datetime | None = None) -> MatchChange:
    """Match one enterprise against every policy in force over its jurisdiction (its data
    changed): milliseconds, so it runs right after the enterprise is saved."""
    at = at or timezone.now()
    day = workdays.shanghai_date(at)
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        policies = list(
            Policy.objects.filter(
                is_active=True, jurisdiction_path__in=ancestor_paths(enterprise.jurisdiction_path)
            )
        )
        versions = versions_on(policies, day)
        existing = {
            (m.policy_id, m.enterprise_id): m for m in PolicyMatch.objects.filter(enterprise=enterprise)
        }
        found: Found = {}
        if enterprise.status == EnterpriseStatus.ACTIVE:
            engine = engine_for(
                versions, enterprise_records(Enterprise.objects.filter(pk=enterprise.pk)), day
            )
            if engine is not None:
                matching = engine.match()
                for version in versions:
                    code = version.policy.code
                    verdict = matching.verdict(code, 0)
                    if verdict is Verdict.ELIGIBLE:
                        _rows, amounts = matching.amounts(code)
                        amount = _amount(float(amounts[0]), matching.unit(code)) if len(amounts) else None
                        found[(version.policy_id, enterprise.pk)] = (MatchVerdict.ELIGIBLE, amount, version)
                    elif verdict is Verdict.UNKNOWN:
                        found[(version.policy_id, enterprise.pk)] = (MatchVerdict.UNKNOWN, None, version)
        change = _store_matches(found, existing, {enterprise.pk: enterprise.jurisdiction_path}, at)
        open_entries(sorted(change.entered), found, at)
    return change
