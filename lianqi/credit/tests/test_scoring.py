"""The scoring engine alone (no database): hand-built enterprises and the class the rule gives
them, with the reasons; the rule's own checks."""

from __future__ import annotations

import pytest

from ..scoring import DEFAULT_RULE, Facts, Rule, at_least, grade, rule_errors

YEAR = 2025


@pytest.mark.parametrize(
    ("facts", "expected_class", "expected_score"),
    [
        # Nothing known: the base, B under the default rule (70 ≥ 70).
        (Facts(), "B", 70),
        # Committed, honoured this year and registered on 湘信贷: 70 + 5 + 10 + 3 = 88 → A.
        (Facts(committed=True, honour_years=(2025,), xindai=True), "A", 88),
        # An honour four years old no longer counts (window of 3 years): 70 + 5 + 3 = 78 → B.
        (Facts(committed=True, honour_years=(2021,), xindai=True), "B", 78),
        # One penalty in force: 70 + 5 − 15 = 60 → C.
        (Facts(committed=True, in_force={"penalty": 1}), "C", 60),
        # Two penalties and an abnormal-operations entry: 70 − 30 − 10 = 30 → D.
        (Facts(in_force={"penalty": 2, "abnormal": 1}), "D", 30),
        # A dishonesty list in force vetoes an otherwise A enterprise: D whatever the score.
        (Facts(committed=True, honour_years=(2024, 2025), xindai=True, in_force={"blacklist": 1}), "D", 58),
        # Once repaired, the record no longer counts: back to 75 → B.
        (Facts(committed=True, repaired=1), "B", 75),
        # An interview this year costs 5: 70 − 5 = 65 → C.
        (Facts(interview_years=(2025,)), "C", 65),
    ],
)
def test_the_class_follows_the_rule(facts: Facts, expected_class: str, expected_score: int) -> None:
    found = grade(facts, DEFAULT_RULE, year=YEAR)
    assert (found.credit_class, found.score) == (expected_class, expected_score)
    assert sum(reason.points for reason in found.reasons) == found.score


def test_every_point_has_its_reason() -> None:
    found = grade(Facts(committed=True, in_force={"penalty": 2}, repaired=1), DEFAULT_RULE, year=YEAR)
    assert [(r.label, r.count, r.points) for r in found.reasons] == [
        ("基础分", 1, 70),
        ("已签署信用承诺书", 1, 5),
        ("未修复的行政处罚记录", 2, -30),
        ("已完成信用修复的记录（不再扣分）", 1, 0),
    ]


def test_an_edited_rule_changes_the_class() -> None:
    facts = Facts(committed=True, xindai=True)  # 78 under the default rule: B
    assert grade(facts, DEFAULT_RULE, year=YEAR).credit_class == "B"
    assert grade(facts, Rule(a_min=75), year=YEAR).credit_class == "A"
    lenient = Rule(blacklist_veto=False, blacklist=-5)
    assert grade(Facts(committed=True, in_force={"blacklist": 1}), lenient, year=YEAR).credit_class == "B"


def test_a_rule_whose_thresholds_do_not_descend_or_points_have_the_wrong_sign_is_refused() -> None:
    assert rule_errors(DEFAULT_RULE) == {}
    errors = rule_errors(Rule(a_min=70, b_min=70, c_min=80, honour=-1, penalty=5, honour_years=0))
    assert set(errors) == {"a_min", "b_min", "honour", "penalty", "honour_years"}


def test_at_least() -> None:
    assert at_least("A", "B") and at_least("B", "B") and not at_least("C", "B")
