"""Running the test cases a rule carries: each gives a subject profile, a date, and the verdict
(and amount) the rule must produce for it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .catalogue import ENTERPRISE_CATALOGUE, Catalogue
from .explain import explain
from .model import Parameters, Rule, TestCase, Verdict


@dataclass(frozen=True)
class TestFailure:
    """A test case whose outcome differs from what it expects."""

    __test__ = False  # not a pytest class

    rule: str
    case: str
    expected_verdict: Verdict
    actual_verdict: Verdict
    expected_amount: float | None = None
    actual_amount: float | None = None
    error: str = ""

    def __str__(self) -> str:
        if self.error:
            return f"{self.rule} / {self.case}：{self.error}"
        if self.expected_verdict is not self.actual_verdict:
            return f"{self.rule} / {self.case}：应为{self.expected_verdict.label}，实为{self.actual_verdict.label}"
        return f"{self.rule} / {self.case}：金额应为 {self.expected_amount}，实为 {self.actual_amount}"


def _same_amount(expected: float | None, actual: float | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-6)


def run_test_case(
    rule: Rule,
    case: TestCase,
    *,
    parameters: Parameters | None = None,
    catalogue: Catalogue = ENTERPRISE_CATALOGUE,
) -> TestFailure | None:
    try:
        result = explain(rule, case.subject, as_of=case.as_of, parameters=parameters, catalogue=catalogue)
    except ValueError as error:
        return TestFailure(
            rule.code, case.name, case.verdict, Verdict.UNKNOWN, error=f"企业数据有误：{error}"
        )
    if result.verdict is not case.verdict:
        return TestFailure(rule.code, case.name, case.verdict, result.verdict, case.amount, result.amount)
    if case.check_amount and not _same_amount(case.amount, result.amount):
        return TestFailure(rule.code, case.name, case.verdict, result.verdict, case.amount, result.amount)
    return None


def run_test_cases(
    rule: Rule, *, parameters: Parameters | None = None, catalogue: Catalogue = ENTERPRISE_CATALOGUE
) -> list[TestFailure]:
    """The failures among the rule's own test cases (empty when all pass)."""
    failures = []
    for case in rule.tests:
        failure = run_test_case(rule, case, parameters=parameters, catalogue=catalogue)
        if failure is not None:
            failures.append(failure)
    return failures
