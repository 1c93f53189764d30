"""The policy supermarket's core: drafting and publishing rules (refused when wrong or when its
own test cases fail), matching enterprises and re-matching on change, 免申即享, and the
fulfilment ledger from the match to the money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed
from lianqi.enterprises.models import Tag, YearFigure
from lianqi.org.models import Staff
from lianqi.testing.world import World, make_enterprise

from .. import actions, queries
from ..choices import FulfilmentAction, FulfilmentState, MatchVerdict, PolicyKind, PolicyLevel, VersionState
from ..models import Fulfilment, FulfilmentEvent, Policy, PolicyMatch

AT = dt.datetime(2025, 6, 30, 10, 0, tzinfo=SHANGHAI)


def rule(
    code: str = "XT-2025-001", threshold: float = 2000, tests: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A 专精特新-style award: manufacturing, last year's revenue ≥ threshold, tiered amount."""
    return {
        "version": 1,
        "rules": [
            {
                "code": code,
                "name": "规上工业企业培育奖励",
                "eligibility": {
                    "all": [
                        {"attribute": "industry", "op": "prefix", "value": ["C"]},
                        {"attribute": "revenue", "year": "Y-1", "op": ">=", "value": threshold},
                        {"not": {"attribute": "tags", "op": "has", "value": "失信企业"}},
                    ]
                },
                "benefit": {
                    "type": "tiered",
                    "attribute": "revenue",
                    "year": "Y-1",
                    "brackets": [{"from": 2000, "amount": 10}, {"from": 5000, "amount": 20}],
                    "unit": "万元",
                },
                "tests": tests or [],
            }
        ],
    }


def make_policy(world: World, **extra: Any) -> Policy:
    fields: dict[str, Any] = {
        "jurisdiction": world.home.park,
        "code": "XT-2025-001",
        "title": "规上工业企业培育奖励",
        "level": PolicyLevel.PARK,
        "kind": PolicyKind.AWARD,
        "department": world.home.department,
    }
    fields.update(extra)
    return Policy.objects.create(**fields)


def revenue(enterprise: Any, year: int, amount: float) -> None:
    YearFigure.objects.update_or_create(enterprise=enterprise, year=year, defaults={"revenue": amount})


def published(world: World, policy: Policy, **rule_args: Any) -> Any:
    draft = actions.save_policy_draft(
        policy=policy,
        actor=world.user(Role.SERVICE_OFFICE),
        rule=rule(policy.code, **rule_args),
        valid_from=dt.date(2025, 1, 1),
    )
    return actions.publish_policy_version(version=draft, actor=world.user(Role.SERVICE_OFFICE), at=AT)


def test_a_rule_with_an_unknown_attribute_is_refused_naming_the_condition(world: World) -> None:
    policy = make_policy(world)
    bad = rule()
    bad["rules"][0]["eligibility"]["all"][1]["attribute"] = "turnover"
    with pytest.raises(ValidationError) as error:
        actions.save_policy_draft(
            policy=policy, actor=world.user(Role.SERVICE_OFFICE), rule=bad, valid_from=dt.date(2025, 1, 1)
        )
    assert any("1.2" in message for message in error.value.message_dict["rule"])
    assert not policy.versions.exists()


def test_the_rule_must_carry_the_policys_code(world: World) -> None:
    policy = make_policy(world)
    with pytest.raises(ValidationError) as error:
        actions.save_policy_draft(
            policy=policy, actor=None, rule=rule("OTHER-1"), valid_from=dt.date(2025, 1, 1)
        )
    assert "OTHER-1" in error.value.message_dict["rule"][0]


def test_a_version_whose_own_test_cases_fail_cannot_be_published(world: World) -> None:
    policy = make_policy(world)
    wrong_expectation = {
        "name": "营收 2500 万元应符合",
        "as_of": "2025-06-30",
        "subject": {"industry": "3811", "revenue": {"2024": 2500}, "tags": []},
        "verdict": "ineligible",
    }
    draft = actions.save_policy_draft(
        policy=policy, actor=None, rule=rule(tests=[wrong_expectation]), valid_from=dt.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        actions.publish_policy_version(version=draft, actor=world.user(Role.SERVICE_OFFICE), at=AT)
    assert "营收 2500 万元应符合" in error.value.message_dict["rule"][0]
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT


def test_publishing_matches_enterprises_and_opens_the_ledger(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    fits = world.home.enterprise
    revenue(fits, 2024, 2600)
    too_small = make_enterprise(world.home.park, "小微电机有限公司")
    revenue(too_small, 2024, 800)
    no_data = make_enterprise(world.home.park, "新设电气有限公司")
    elsewhere = world.other.enterprise
    revenue(elsewhere, 2024, 9000)
    policy = make_policy(world)
    with django_capture_on_commit_callbacks() as callbacks:
        published(world, policy)
    assert len(callbacks) == 1  # the re-matching, queued for after the commit
    actions.rematch_policy(policy=policy, at=AT)  # what that task does, on the day of AT
    matches = {m.enterprise_id: m for m in PolicyMatch.objects.filter(policy=policy)}
    assert matches[fits.pk].verdict == MatchVerdict.ELIGIBLE and matches[fits.pk].amount == Decimal(
        "100000.00"
    )  # 10 万元, in yuan
    assert matches[no_data.pk].verdict == MatchVerdict.UNKNOWN  # missing revenue is unknown, never "no"
    assert too_small.pk not in matches and elsewhere.pk not in matches  # another park's policy scope
    entry = Fulfilment.objects.get(policy=policy, enterprise=fits)
    assert entry.state == FulfilmentState.MATCHED and entry.period == 2025
    assert entry.due_on == dt.date(2025, 7, 3)  # three working days after 30 June
    assert not Fulfilment.objects.filter(enterprise=no_data).exists()


def test_an_enterprise_whose_data_changes_is_rematched_at_once(world: World) -> None:
    policy = make_policy(world)
    published(world, policy)
    enterprise = make_enterprise(world.home.park, "成长电气有限公司")
    revenue(enterprise, 2024, 1500)
    change = actions.rematch_enterprise(enterprise=enterprise, at=AT)
    assert not change.entered
    revenue(enterprise, 2024, 5200)
    change = actions.rematch_enterprise(enterprise=enterprise, at=AT)
    assert change.entered == {(policy.pk, enterprise.pk)}
    assert PolicyMatch.objects.get(policy=policy, enterprise=enterprise).amount == Decimal("200000.00")
    enterprise.tags.add(Tag.objects.create(name="失信企业"))
    change = actions.rematch_enterprise(enterprise=enterprise, at=AT)
    assert change.left == {(policy.pk, enterprise.pk)}
    assert not PolicyMatch.objects.filter(policy=policy, enterprise=enterprise).exists()


def test_a_later_version_closes_the_earlier_one(world: World) -> None:
    policy = make_policy(world)
    first = published(world, policy)
    draft = actions.save_policy_draft(
        policy=policy, actor=None, rule=rule(threshold=3000), valid_from=dt.date(2026, 1, 1)
    )
    actions.publish_policy_version(version=draft, actor=world.user(Role.SERVICE_OFFICE), at=AT)
    first.refresh_from_db()
    assert first.valid_to == dt.date(2025, 12, 31)
    assert queries.version_on(policy, dt.date(2025, 12, 31)) == first
    assert queries.version_on(policy, dt.date(2026, 1, 1)) == draft


def test_no_application_policies_may_not_rest_on_self_reported_facts(world: World) -> None:
    policy = make_policy(world, no_application=True)
    declared = rule()
    declared["rules"][0]["eligibility"]["all"].append({"declare": "近三年未发生重大安全生产事故"})
    draft = actions.save_policy_draft(
        policy=policy, actor=None, rule=declared, valid_from=dt.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        actions.publish_policy_version(version=draft, actor=world.user(Role.SERVICE_OFFICE), at=AT)
    assert "1.4" in error.value.message_dict["rule"][0]


def _entry(world: World, **extra: Any) -> Fulfilment:
    revenue(world.home.enterprise, 2024, 2600)
    policy = make_policy(world, **extra)
    published(world, policy)
    actions.rematch_policy(policy=policy, at=AT)
    return Fulfilment.objects.get(policy=policy)


def _handler(world: World) -> Any:
    user = world.user(Role.DEPARTMENT_HANDLER)
    Staff.objects.create(
        jurisdiction=world.home.park, name="经办人", department=world.home.department, user=user
    )
    user.refresh_from_db()
    return user


def test_the_ledger_follows_an_application_to_the_payment(world: World) -> None:
    entry = _entry(world)
    office = world.user(Role.SERVICE_OFFICE)
    entry = actions.notify_fulfilment(fulfilment=entry, actor=office, expected_version=entry.version, at=AT)
    entry = actions.apply_for_fulfilment(
        fulfilment=entry,
        actor=None,
        enterprise=world.home.enterprise,
        expected_version=entry.version,
        text="申请培育奖励",
        name="王会计",
        phone="13800000009",
        at=AT,
    )
    assert entry.due_on == dt.date(2025, 7, 14)  # ten working days to review
    entry = actions.review_fulfilment(
        fulfilment=entry, actor=_handler(world), expected_version=entry.version, note="材料齐全", at=AT
    )
    entry = actions.approve_fulfilment(
        fulfilment=entry, actor=office, expected_version=entry.version, amount=Decimal("10"), at=AT
    )
    with pytest.raises(ValidationError) as error:
        actions.disburse_fulfilment(
            fulfilment=entry,
            actor=office,
            expected_version=entry.version,
            amount=Decimal("12"),
            disbursed_on=dt.date(2025, 6, 30),
            voucher="PZ-001",
            at=AT,
        )
    assert "10.00" in error.value.message_dict["amount"][0]
    entry = actions.disburse_fulfilment(
        fulfilment=entry,
        actor=office,
        expected_version=entry.version,
        amount=Decimal("10"),
        disbursed_on=dt.date(2025, 6, 30),
        voucher="PZ-001",
        at=AT,
    )
    assert entry.state == FulfilmentState.DISBURSED and entry.disbursed_amount == Decimal("10.00")
    from lianqi.notifications.models import Notification

    texts = list(Notification.objects.filter(address="13800000009").values_list("body", flat=True))
    assert any("已批准" in t for t in texts) and any("PZ-001" in t for t in texts)  # SMS to the applicant
    assert entry.due_on is None
    assert [e.action for e in FulfilmentEvent.objects.filter(fulfilment=entry)] == [
        "match",
        "notify",
        "apply",
        "review",
        "approve",
        "disburse",
    ]
    totals = queries.ledger_totals(Fulfilment.objects.all(), by="period")
    assert totals == [
        {
            "key": 2025,
            "entries": 1,
            "approved": Decimal("10.00"),
            "disbursed": Decimal("10.00"),
            "disbursed_count": 1,
        }
    ]


def test_a_stale_or_disallowed_step_is_refused(world: World) -> None:
    entry = _entry(world)
    with pytest.raises(StaleVersion):
        actions.notify_fulfilment(
            fulfilment=entry,
            actor=world.user(Role.SERVICE_OFFICE),
            expected_version=entry.version + 1,
        )
    with pytest.raises(TransitionNotAllowed) as error:
        actions.disburse_fulfilment(
            fulfilment=entry,
            actor=world.user(Role.SERVICE_OFFICE),
            expected_version=entry.version,
        )
    assert FulfilmentAction.NOTIFY in error.value.allowed
    with pytest.raises(TransitionNotAllowed):
        actions.notify_fulfilment(
            fulfilment=entry,
            actor=world.other_user(Role.SERVICE_OFFICE),
            expected_version=entry.version,
        )


def test_no_application_beneficiaries_are_approved_without_applying(world: World) -> None:
    entry = _entry(world, no_application=True)
    assert entry.no_application
    with pytest.raises(TransitionNotAllowed):
        actions.apply_for_fulfilment(
            fulfilment=entry,
            actor=None,
            enterprise=world.home.enterprise,
            expected_version=entry.version,
            text="申请",
        )
    approved, refused = actions.approve_beneficiaries(
        fulfilments=[entry], actor=world.user(Role.LEADER), at=AT
    )
    assert refused == [] and approved[0].state == FulfilmentState.APPROVED
    assert approved[0].approved_amount == Decimal("100000.00")


def test_an_enterprise_sees_its_policies_with_reasons_and_near_misses(world: World) -> None:
    policy = make_policy(world)
    published(world, policy)
    revenue(world.home.enterprise, 2024, 1900)
    found = queries.policies_for(world.home.enterprise, day=dt.date(2025, 6, 30))
    assert found.eligible == [] and found.unknown == []
    [near] = found.near_misses
    missed, miss = near.policy, near.miss
    assert missed == policy and miss.path == "1.2" and miss.gap == pytest.approx(100)
    assert near.words.text == "2024 年营业收入不低于 2000 万元"
    assert near.words.figure == "本企业为 1900 万元（来源：统计年报 2024）"
    assert near.words.outcome == "差 100 万元"
    revenue(world.home.enterprise, 2024, 2100)
    found = queries.policies_for(world.home.enterprise, day=dt.date(2025, 6, 30))
    [fit] = found.eligible
    assert "  2024 年营业收入不低于 2000 万元：本企业为 2100 万元（来源：统计年报 2024） — 符合" in (
        fit.words.lines() if fit.words else []
    )


def test_the_sandbox_shows_who_enters_and_who_leaves(world: World) -> None:
    policy = make_policy(world)
    big = world.home.enterprise
    revenue(big, 2024, 2600)
    middling = make_enterprise(world.home.park, "中型电气有限公司")
    revenue(middling, 2024, 1600)
    published(world, policy)
    result = queries.sandbox(policy, rule(policy.code, threshold=1500), day=dt.date(2025, 6, 30))
    assert result.current_eligible == 1 and result.draft_eligible == 2
    assert result.entering == [middling.pk] and result.leaving == []
    assert result.current_budget == 10 and result.draft_budget == 10  # 1600 is below the first bracket


def test_changing_an_enterprises_figures_rematches_it_and_tells_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from lianqi.enterprises.actions import save_year_figure
    from lianqi.notifications.models import Notification

    policy = make_policy(world)
    published(world, policy)
    with django_capture_on_commit_callbacks(execute=True):
        save_year_figure(
            enterprise=world.home.enterprise,
            actor=world.user(Role.SERVICE_OFFICE),
            year=dt.date.today().year - 1,
            values={"revenue": Decimal("2600")},
        )
    assert (
        PolicyMatch.objects.get(policy=policy, enterprise=world.home.enterprise).verdict
        == MatchVerdict.ELIGIBLE
    )
    told = set(
        Notification.objects.filter(subject__contains=policy.title).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {world.user(Role.ENTERPRISE).username, world.user(Role.LIAISON).username}


def test_the_office_notifies_every_matched_enterprise_at_once(world: World) -> None:
    entry = _entry(world)
    other = make_enterprise(world.home.park, "另一家电气有限公司")
    revenue(other, 2024, 3000)
    actions.rematch_policy(policy=entry.policy, at=AT)
    told = actions.notify_matched_entries(
        policy=entry.policy, actor=world.user(Role.SERVICE_OFFICE), period=2025, at=AT
    )
    assert told == 2
    states = set(Fulfilment.objects.filter(policy=entry.policy).values_list("state", flat=True))
    assert states == {FulfilmentState.NOTIFIED}
    assert FulfilmentEvent.objects.filter(action="notify").count() == 2
    # Another park's office may not, and nothing is left to tell anyway.
    assert (
        actions.notify_matched_entries(
            policy=entry.policy, actor=world.other_user(Role.SERVICE_OFFICE), period=2025
        )
        == 0
    )


def test_policies_that_promise_no_money_stay_out_of_the_ledger(world: World) -> None:
    revenue(world.home.enterprise, 2024, 2600)
    policy = make_policy(world, kind="reduction")
    published(world, policy)
    change = actions.rematch_policy(policy=policy, at=AT)
    assert change.entered and not Fulfilment.objects.filter(policy=policy).exists()


def test_a_version_may_not_overlap_a_later_published_one(world: World) -> None:
    policy = make_policy(world)
    later = actions.save_policy_draft(
        policy=policy, actor=None, rule=rule(policy.code), valid_from=dt.date(2026, 1, 1)
    )
    actions.publish_policy_version(version=later, actor=world.user(Role.SERVICE_OFFICE), at=AT)
    earlier = actions.save_policy_draft(
        policy=policy, actor=None, rule=rule(policy.code), valid_from=dt.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        actions.publish_policy_version(version=earlier, actor=world.user(Role.SERVICE_OFFICE), at=AT)
    assert "第 1 版" in error.value.message_dict["valid_from"][0]
    earlier.refresh_from_db()
    assert earlier.state == VersionState.DRAFT
