"""The ledger's registered measures: each equals the ledger's own totals for the same scope
and year (one definition serves both), another park's entries stay out, and a city counts
its parks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lianqi.core import registry
from lianqi.core.registry import Period
from lianqi.core.roles import Role
from lianqi.org.models import Jurisdiction
from lianqi.testing.world import World, make_enterprise

from .. import measures, queries
from ..choices import FulfilmentState as S
from ..choices import VersionState
from ..models import Fulfilment, Policy, PolicyVersion
from ..permissions import fulfilments_visible
from .test_actions import AT, make_policy, rule

YEAR = Period.year(2025)
KEYS = (
    "policies.disbursed_amount",
    "policies.approved_amount",
    "policies.fulfilments_disbursed",
    "policies.enterprises_benefited",
    "policies.overdue_steps",
)


def _version(policy: Policy) -> PolicyVersion:
    return PolicyVersion.objects.create(
        policy=policy,
        number=1,
        state=VersionState.PUBLISHED,
        rule=rule(policy.code),
        valid_from=dt.date(2024, 1, 1),
    )


def _entry(policy: Policy, park: Jurisdiction, enterprise: Any, state: str, **fields: Any) -> Fulfilment:
    if state == S.DISBURSED:
        fields.setdefault("disbursed_on", dt.date(2025, 6, 1))
        fields.setdefault("voucher_number", "PZ-1")
    return Fulfilment.objects.create(
        jurisdiction=park,
        policy=policy,
        enterprise=enterprise,
        policy_version=policy.versions.get(),
        period=fields.pop("period", 2025),
        state=state,
        **fields,
    )


def _ledger(world: World) -> None:
    home, other = world.home, world.other
    award = make_policy(world)
    _version(award)
    second = make_enterprise(home.park, "湘潭第二电机有限公司")
    third = make_enterprise(home.park, "湘潭第三电机有限公司")
    _entry(
        award,
        home.park,
        home.enterprise,
        S.DISBURSED,
        approved_amount=100000,
        disbursed_amount=Decimal("95000.01"),
    )
    _entry(award, home.park, second, S.DISBURSED, approved_amount=50000, disbursed_amount=Decimal("49999.99"))
    _entry(award, home.park, third, S.APPROVED, approved_amount=80000, due_on=dt.date(2025, 6, 1))
    _entry(award, home.park, third, S.APPLIED, period=2024, due_on=dt.date(2024, 6, 1))  # another year
    _entry(award, home.park, second, S.MATCHED, period=2026, due_on=dt.date(2026, 1, 5))
    elsewhere = Policy.objects.create(
        jurisdiction=other.park, code="JK-2025-001", title="经开区奖励", level="park", kind="award"
    )
    _version(elsewhere)
    _entry(
        elsewhere,
        other.park,
        other.enterprise,
        S.DISBURSED,
        approved_amount=70000,
        disbursed_amount=Decimal("70000.50"),
    )


def _computed(path: str) -> dict[str, Any]:
    values = {key: registry.measure(key).compute(path, YEAR) for key in KEYS}
    # Overdue depends on the moment: the registered figure is today's, this one AT's.
    assert registry.measure("policies.overdue_steps").compute is measures.overdue_steps
    values["policies.overdue_steps"] = measures.overdue_steps(path, YEAR, at=AT)
    return values


def test_the_measures_equal_the_ledgers_totals_for_the_same_park_and_year(world: World) -> None:
    _ledger(world)
    leader = world.user(Role.LEADER)
    shown = queries.ledger_list(fulfilments_visible(leader), at=AT, period=2025)
    [totals] = queries.ledger_totals(shown, by="period")
    computed = _computed(world.home.park.path)
    # The ledger sums yuan to the fen; the measure reads the same sum in 万元, exactly.
    assert totals["disbursed"] == Decimal("145000.00") and totals["approved"] == Decimal("230000.00")
    assert computed["policies.disbursed_amount"] == Decimal("14.5")
    assert computed["policies.approved_amount"] == Decimal("23")
    assert computed["policies.fulfilments_disbursed"] == totals["disbursed_count"] == 2
    assert computed["policies.enterprises_benefited"] == 2
    overdue = queries.ledger_list(fulfilments_visible(leader), at=AT, period=2025, overdue=True)
    assert computed["policies.overdue_steps"] == overdue.count() == 1


def test_a_city_counts_its_parks_and_every_measure_says_what_it_counts(world: World) -> None:
    _ledger(world)
    computed = _computed(world.city.path)
    assert computed["policies.disbursed_amount"] == Decimal("21.50005")  # 万元: ¥215,000.50
    assert computed["policies.enterprises_benefited"] == 3
    for key in KEYS:
        measure = registry.measure(key)
        assert str(measure.definition) and str(measure.unit) and measure.url_name == "policies:ledger"
    assert str(registry.measure("policies.disbursed_amount").unit) == "万元"


def test_a_year_without_entries_counts_zero(world: World) -> None:
    _ledger(world)
    empty = registry.measure("policies.disbursed_amount").compute(world.home.park.path, Period.year(2023))
    assert empty == Decimal("0")
